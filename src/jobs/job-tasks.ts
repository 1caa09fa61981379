import { newTask } from '../tasks/new-task';
import type { TaskDoc } from '../tasks/types';
import { jobTaskId } from './ids';
import type { JobDoc } from './types';

type JobFields = Pick<JobDoc, '_id' | 'rpcs' | 'createdBy' | 'expiresAt' | 'expect' | 'connectionRequest'>;

/**
 * The tasks of these devices, one per RPC, as a release tick stores them: already released
 * (the tick announces them next), with the job's connection request recorded as queued.
 */
export function releasedTasks(job: JobFields, deviceIds: string[], now: Date): TaskDoc[] {
  return jobTasks(job, deviceIds, now).map((t) => ({ ...t, releasedAt: now }));
}

/**
 * The tasks of devices a cancellation caught unreleased, stored cancelled and never released:
 * a release tick still in flight then finds their ids taken and stores nothing for them.
 */
export function cancelledTasks(job: JobFields, deviceIds: string[], now: Date): TaskDoc[] {
  return jobTasks({ ...job, connectionRequest: false }, deviceIds, now).map((t) => ({ ...t, status: 'cancelled' as const, completedAt: now }));
}

function jobTasks(job: JobFields, deviceIds: string[], now: Date): TaskDoc[] {
  return deviceIds.flatMap((deviceId) =>
    job.rpcs.map((rpc, index) =>
      newTask(deviceId, rpc, {
        id: jobTaskId(job._id, deviceId, index),
        now,
        jobId: job._id,
        createdBy: job.createdBy,
        expiresAt: job.expiresAt,
        expect: job.expect,
        connectionRequest: job.connectionRequest,
      }),
    ),
  );
}
