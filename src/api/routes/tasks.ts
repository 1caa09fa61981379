import type { Filter } from 'mongodb';
import type { AcsRequest } from '../../cwmp/soap/types';
import { UnknownDeviceError } from '../../tasks/repository';
import type { TaskDoc, TaskStatus } from '../../tasks/types';
import { API_PREFIX } from '../openapi';
import { decodeCursor, toPage } from '../pagination';
import { conflict, notFound, ProblemError } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { normaliseRpc } from '../rpc';
import { ref } from '../schemas';
import type { ApiServices } from '../services';
import { taskView } from '../views';
import { CONFLICT, cursorSchema, deviceIdSchema, limitSchema, NOT_FOUND, objectIdSchema } from './common';

interface TaskCreate {
  rpc: AcsRequest;
  connectionRequest: boolean;
  expiresIn?: number;
  expect?: TaskDoc['expect'];
}

interface BulkTaskCreate extends TaskCreate {
  deviceIds: string[];
}

/** Most devices one `POST /tasks` names (a larger fleet is a job's work, paced). */
export const MAX_BULK_DEVICES = 10_000;

interface ListQuery {
  deviceId?: string;
  jobId?: string;
  status?: TaskStatus;
  limit: number;
  cursor?: string;
}

const statusSchema = ref('tasks', 'TaskStatus');
const taskPage = { description: 'A page of tasks, newest first.', schema: ref('tasks', 'TaskPage') };
const taskIdParams = parameters({ taskId: objectIdSchema }, ['taskId']);

/** Tasks matching `filter`, newest first (task ids are ObjectIds, ordered by creation). */
export async function listTasks(s: ApiServices, filter: Filter<TaskDoc>, q: { limit: number; cursor?: string }) {
  const rows = await s.tasks.page(filter, q.limit + 1, q.cursor ? (decodeCursor(q.cursor, ['string'])[0] as string) : undefined);
  return toPage(rows, q.limit, taskView, (t) => [t._id]);
}

function dispatchOptions(s: ApiServices, body: TaskCreate, createdBy: string) {
  return { expiresAt: expiry(s, body.expiresIn), connectionRequest: body.connectionRequest, createdBy, ...(body.expect ? { expect: body.expect } : {}) };
}

export function expiry(s: ApiServices, expiresIn: number | undefined, now = Date.now()): Date {
  return new Date(now + (expiresIn ?? s.config.tasks.expirySeconds) * 1000);
}

export const taskRoutes: RouteModule = (s) => [
  defineRoute<{ id: string }, Record<string, never>, TaskCreate>({
    method: 'POST',
    path: '/devices/{id}/tasks',
    operationId: 'createTask',
    summary: 'Queue an RPC for one device',
    description: 'The task waits for the device\'s next session; with `connectionRequest: true` the device is woken now. It expires unsent after `expiresIn` seconds.',
    tag: 'tasks',
    role: 'operator',
    audit: 'task.create',
    params: parameters({ id: deviceIdSchema }, ['id']),
    body: { schema: ref('tasks', 'TaskCreate') },
    responses: { 201: { description: 'Queued.', schema: ref('tasks', 'Task') }, 404: NOT_FOUND },
    async handle({ params, body, actor }) {
      const rpc = normaliseRpc(body.rpc, 'rpc');
      const task = await s.dispatcher.queue(params.id, rpc, dispatchOptions(s, body, actor.name)).catch((err: unknown) => {
        throw err instanceof UnknownDeviceError ? notFound(`device ${params.id}`) : err;
      });
      return {
        status: 201,
        headers: { Location: `${API_PREFIX}/tasks/${task._id}` },
        body: taskView(task),
        audit: { details: { taskId: task._id, method: rpc.method, connectionRequest: body.connectionRequest } },
      };
    },
  }),

  defineRoute<Record<string, never>, Record<string, never>, BulkTaskCreate>({
    method: 'POST',
    path: '/tasks',
    operationId: 'createTasks',
    summary: 'Queue one RPC for many devices at once',
    description:
      `One task per listed device (a device listed twice gets one), queued as \`POST /devices/{id}/tasks\` would, in one request: validated and audited once. ` +
      `At most ${MAX_BULK_DEVICES} devices (413 beyond). Devices that do not exist get no task and are listed in \`unknownDevices\`. ` +
      'Unlike a job, every task is announced at once; for a whole fleet, paced, use `POST /jobs`.',
    tag: 'tasks',
    role: 'operator',
    audit: 'task.create_many',
    body: { schema: ref('tasks', 'BulkTaskCreate') },
    responses: { 201: { description: 'Queued for every device that exists.', schema: ref('tasks', 'BulkTaskResult') }, 413: { description: `More than ${MAX_BULK_DEVICES} devices.` } },
    async handle({ body, actor }) {
      const deviceIds = [...new Set(body.deviceIds)];
      if (deviceIds.length > MAX_BULK_DEVICES) {
        throw new ProblemError(413, 'too-many-devices', `deviceIds lists ${deviceIds.length} devices; at most ${MAX_BULK_DEVICES} per request (use POST /jobs for more)`, [
          { in: 'body', field: 'deviceIds', pointer: '/deviceIds', message: `lists more than ${MAX_BULK_DEVICES} devices` },
        ]);
      }
      const rpc = normaliseRpc(body.rpc, 'rpc');
      const { queued, unknown } = await s.dispatcher.queueMany(deviceIds, rpc, dispatchOptions(s, body, actor.name));
      return {
        status: 201,
        body: { items: queued.map((t) => ({ deviceId: t.deviceId, taskId: t._id })), unknownDevices: unknown },
        audit: { details: { method: rpc.method, queued: queued.length, unknownDevices: unknown.length, connectionRequest: body.connectionRequest } },
      };
    },
  }),

  defineRoute<{ id: string }, Omit<ListQuery, 'deviceId'>>({
    method: 'GET',
    path: '/devices/{id}/tasks',
    operationId: 'listDeviceTasks',
    summary: "A device's tasks with their outcomes",
    tag: 'tasks',
    role: 'viewer',
    params: parameters({ id: deviceIdSchema }, ['id']),
    query: parameters({ status: statusSchema, jobId: objectIdSchema, limit: limitSchema, cursor: cursorSchema }),
    responses: { 200: taskPage },
    async handle({ params, query }) {
      return { body: await listTasks(s, taskFilter({ ...query, deviceId: params.id }), query) };
    },
  }),

  defineRoute<Record<string, never>, ListQuery>({
    method: 'GET',
    path: '/tasks',
    operationId: 'listTasks',
    summary: 'Tasks of the whole fleet, by device, job or status',
    tag: 'tasks',
    role: 'viewer',
    query: parameters({ deviceId: deviceIdSchema, jobId: objectIdSchema, status: statusSchema, limit: limitSchema, cursor: cursorSchema }),
    responses: { 200: taskPage },
    async handle({ query }) {
      return { body: await listTasks(s, taskFilter(query), query) };
    },
  }),

  defineRoute<{ taskId: string }>({
    method: 'GET',
    path: '/tasks/{taskId}',
    operationId: 'getTask',
    summary: 'One task with its outcome',
    tag: 'tasks',
    role: 'viewer',
    params: taskIdParams,
    responses: { 200: { description: 'The task.', schema: ref('tasks', 'Task') }, 404: NOT_FOUND },
    async handle({ params }) {
      const task = await s.tasks.get(params.taskId);
      if (!task) throw notFound(`task ${params.taskId}`);
      return { body: taskView(task) };
    },
  }),

  defineRoute<{ taskId: string }>({
    method: 'POST',
    path: '/tasks/{taskId}/cancel',
    operationId: 'cancelTask',
    summary: 'Cancel a task that was not sent yet',
    tag: 'tasks',
    role: 'operator',
    audit: 'task.cancel',
    params: taskIdParams,
    responses: { 200: { description: 'Cancelled.', schema: ref('tasks', 'Task') }, 404: NOT_FOUND, 409: CONFLICT },
    async handle({ params }) {
      const task = await s.dispatcher.cancel(params.taskId);
      if (task) return { body: taskView(task) };
      const current = await s.tasks.get(params.taskId);
      if (!current) throw notFound(`task ${params.taskId}`);
      throw conflict(`task ${params.taskId} is ${current.status}; only a pending task can be cancelled`);
    },
  }),
];

export function taskFilter(q: { deviceId?: string; jobId?: string; status?: TaskStatus }): Filter<TaskDoc> {
  const f: Record<string, unknown> = {};
  if (q.deviceId) f.deviceId = q.deviceId;
  if (q.jobId) f.jobId = q.jobId;
  if (q.status) f.status = q.status;
  return f as Filter<TaskDoc>;
}
