import { LEASE_MS, type JobDeps } from './deps';

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
 * to their end.
 */
export async function cancelJob(deps: JobDeps, jobId: string, owner: string): Promise<void> {
  const job = await deps.jobs.acquireLease(jobId, owner, LEASE_MS, ['cancelling']);
  if (!job) {
    const current = await deps.jobs.get(jobId);
    if (current?.state === 'cancelling') throw new JobBusyError(jobId);
    return;
  }
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
  const counts = await deps.tasks.countByStatus(jobId);
  await deps.jobs.transition(jobId, ['cancelling'], 'cancelled', counts.sent === 0 ? counts : undefined);
  deps.log.info({ event: 'job.cancelled', jobId, cancelled }, 'job cancelled');
}
