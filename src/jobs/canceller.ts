import { LEASE_MS, type JobDeps } from './deps';
import { cancelledTasks } from './job-tasks';
import { PlanReader } from './plan-reader';
import { jobCounts } from './progress';
import { MAX_BATCH } from './releaser';
import type { JobDoc } from './types';

/** Thrown while another worker still holds the job (BullMQ retries the step with back-off). */
export class JobBusyError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is still held by another worker`);
    this.name = 'JobBusyError';
  }
}

const PARALLEL = 32;

/**
 * Cancelling: every pending task of the job becomes cancelled (compare-and-set, so a task a
 * session has just taken is left alone) and leaves its device's queue. Tasks already sent run
 * to their end. Devices not released yet have no task stored and are never released now (the
 * job is no longer releasing): they count as cancelled (`jobCounts`).
 */
export async function cancelJob(deps: JobDeps, jobId: string, owner: string): Promise<void> {
  const job = await deps.jobs.acquireLease(jobId, owner, LEASE_MS, ['cancelling']);
  if (!job) {
    const current = await deps.jobs.get(jobId);
    if (current?.state === 'cancelling') throw new JobBusyError(jobId);
    return;
  }
  await fenceRelease(deps, job, new Date());
  let cancelled = 0;
  let batch: Array<{ _id: string; deviceId: string; releasedAt?: Date }> = [];
  const flush = async () => {
    const now = new Date();
    const dequeue = new Map<string, string[]>();
    for (let i = 0; i < batch.length; i += PARALLEL) {
      await Promise.all(
        batch.slice(i, i + PARALLEL).map(async (t) => {
          if (!(await deps.tasks.cancel(t._id, now))) return;
          cancelled += 1;
          await deps.taskEnded({ _id: t._id, deviceId: t.deviceId, status: 'cancelled' }, now);
          if (t.releasedAt) dequeue.set(t.deviceId, [...(dequeue.get(t.deviceId) ?? []), t._id]);
        }),
      );
    }
    await deps.devices.dequeueMany([...dequeue].map(([deviceId, taskIds]) => ({ deviceId, taskIds })));
    batch = [];
    if (!(await deps.jobs.renewLease(jobId, owner, LEASE_MS, 'cancelling'))) throw new JobBusyError(jobId);
  };
  for await (const t of deps.tasks.pendingOfJob(jobId)) {
    batch.push(t);
    if (batch.length === 1000) await flush();
  }
  if (batch.length) await flush();
  // Counts freeze only when no task is still in flight; otherwise they stay live.
  const counts = jobCounts(job, await deps.tasks.countByStatus(jobId));
  await deps.jobs.transition(jobId, ['cancelling'], 'cancelled', counts.sent === 0 ? counts : undefined);
  deps.log.info({ event: 'job.cancelled', jobId, cancelled }, 'job cancelled');
}

/**
 * A release tick that read the job before it was cancelled may still be storing its devices'
 * tasks, after the pending ones were looked for here, and they would stay pending. Such a tick
 * started at the job's release position, final now (only a releasing job's position moves),
 * and stores at most MAX_BATCH devices from there: their tasks are stored here first,
 * cancelled, so the tick's inserts of the same ids are refused. Whatever it stored before
 * is pending and found by the cancellation.
 */
async function fenceRelease(deps: JobDeps, job: JobDoc, now: Date): Promise<void> {
  if (!job.plan || job.release.position >= job.plan.devices) return;
  const count = Math.min(MAX_BATCH, job.plan.devices - job.release.position);
  const deviceIds = await new PlanReader(deps.jobs).devicesAt(job, job.release.position, count);
  await deps.tasks.insertNew(cancelledTasks(job, deviceIds, now));
}
