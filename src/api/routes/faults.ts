import type { Filter } from 'mongodb';
import type { TaskDoc } from '../../tasks/types';
import { conflict, notFound } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { taskView } from '../views';
import { CONFLICT, cursorSchema, deviceIdSchema, limitSchema, NOT_FOUND, objectIdSchema } from './common';
import { expiry, listTasks } from './tasks';

interface FaultQuery {
  deviceId?: string;
  jobId?: string;
  code?: string;
  limit: number;
  cursor?: string;
}

/**
 * Faults are the tasks that ended in a fault and that no operator cleared yet. Retrying one
 * queues the same task again (same id, so a job's counts stay right); its fault is kept in
 * `previousFaults`.
 */
export const faultRoutes: RouteModule = (s) => {
  const faultPage = { description: 'A page of faulted tasks, newest first.', schema: ref('tasks', 'TaskPage') };
  const list = (q: FaultQuery) => {
    const filter: Record<string, unknown> = { status: 'fault', faultCleared: { $ne: true } };
    if (q.deviceId) filter.deviceId = q.deviceId;
    if (q.jobId) filter.jobId = q.jobId;
    if (q.code !== undefined) filter['fault.code'] = /^\d+$/.test(q.code) ? Number(q.code) : q.code;
    return listTasks(s, filter as Filter<TaskDoc>, q);
  };
  const codeSchema = { type: 'string', maxLength: 64, description: 'CWMP fault code (9xxx) or ACS code (e.g. version_mismatch)' };
  const taskIdParams = parameters({ taskId: objectIdSchema }, ['taskId']);
  return [
    defineRoute<Record<string, never>, FaultQuery>({
      method: 'GET',
      path: '/faults',
      operationId: 'listFaults',
      summary: 'Faults across the fleet',
      tag: 'faults',
      role: 'viewer',
      query: parameters({ deviceId: deviceIdSchema, jobId: objectIdSchema, code: codeSchema, limit: limitSchema, cursor: cursorSchema }),
      responses: { 200: faultPage },
      async handle({ query }) {
        return { body: await list(query) };
      },
    }),
    defineRoute<{ id: string }, Omit<FaultQuery, 'deviceId'>>({
      method: 'GET',
      path: '/devices/{id}/faults',
      operationId: 'listDeviceFaults',
      summary: "A device's faults",
      tag: 'faults',
      role: 'viewer',
      params: parameters({ id: deviceIdSchema }, ['id']),
      query: parameters({ jobId: objectIdSchema, code: codeSchema, limit: limitSchema, cursor: cursorSchema }),
      responses: { 200: faultPage },
      async handle({ params, query }) {
        return { body: await list({ ...query, deviceId: params.id }) };
      },
    }),
    defineRoute<{ taskId: string }, Record<string, never>, { connectionRequest: boolean; expiresIn?: number }>({
      method: 'POST',
      path: '/faults/{taskId}/retry',
      operationId: 'retryFault',
      summary: 'Queue a faulted task again',
      tag: 'faults',
      role: 'operator',
      audit: 'fault.retry',
      params: taskIdParams,
      body: { schema: ref('tasks', 'Retry'), required: false },
      responses: { 200: { description: 'Pending again.', schema: ref('tasks', 'Task') }, 404: NOT_FOUND, 409: CONFLICT },
      async handle({ params, body }) {
        const task = await s.dispatcher.retry(params.taskId, { connectionRequest: body.connectionRequest, expiresAt: expiry(s, body.expiresIn) });
        if (task) return { body: taskView(task), audit: { target: task.deviceId, details: { taskId: task._id } } };
        const current = await s.tasks.get(params.taskId);
        if (!current) throw notFound(`task ${params.taskId}`);
        throw conflict(`task ${params.taskId} is ${current.status}, not a fault`);
      },
    }),
    defineRoute<{ taskId: string }>({
      method: 'DELETE',
      path: '/faults/{taskId}',
      operationId: 'clearFault',
      summary: 'Clear a fault from the fault lists (the task keeps its outcome)',
      tag: 'faults',
      role: 'operator',
      audit: 'fault.clear',
      params: taskIdParams,
      responses: { 204: { description: 'Cleared.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await s.tasks.clearFault(params.taskId, new Date()))) throw notFound(`uncleared fault ${params.taskId}`);
        return {};
      },
    }),
  ];
};
