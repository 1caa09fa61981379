import type { Filter } from 'mongodb';
import type { AcsRequest } from '../../cwmp/soap/types';
import type { TaskDoc, TaskStatus } from '../../tasks/types';
import { API_PREFIX } from '../openapi';
import { decodeCursor, toPage } from '../pagination';
import { conflict, notFound } from '../problem';
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
  const conditions: Filter<TaskDoc>[] = [filter];
  if (q.cursor) conditions.push({ _id: { $lt: decodeCursor(q.cursor, ['string'])[0] as string } });
  const rows = await s.tasks.collection
    .find(conditions.length === 1 ? filter : { $and: conditions })
    .sort({ _id: -1 })
    .limit(q.limit + 1)
    .toArray();
  return toPage(rows, q.limit, taskView, (t) => [t._id]);
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
      if (!(await s.devices.get(params.id, { _id: 1 }))) throw notFound(`device ${params.id}`);
      const task = await s.dispatcher.queue(params.id, rpc, {
        expiresAt: expiry(s, body.expiresIn),
        connectionRequest: body.connectionRequest,
        createdBy: actor.name,
        ...(body.expect ? { expect: body.expect } : {}),
      });
      return {
        status: 201,
        headers: { Location: `${API_PREFIX}/tasks/${task._id}` },
        body: taskView(task),
        audit: { details: { taskId: task._id, method: rpc.method, connectionRequest: body.connectionRequest } },
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
