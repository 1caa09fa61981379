import type { TaskStatus } from '../tasks/types';
import type { JobDeps } from './deps';
import type { JobDoc } from './types';

export type JobStatus = 'planning' | 'running' | 'paused' | 'cancelling' | 'cancelled' | 'done';

export interface JobProgress {
  job: JobDoc;
  status: JobStatus;
  tasks: Record<TaskStatus, number>;
}

/** What an operator sees of a job's state. */
export function jobStatus(job: JobDoc): JobStatus {
  switch (job.state) {
    case 'planning':
    case 'releasing':
      if (job.paused) return 'paused';
      return job.state === 'planning' ? 'planning' : 'running';
    case 'released':
      return 'running';
    default:
      return job.state;
  }
}

type Counts = Record<TaskStatus, number>;

/**
 * A job's counts, one per device and RPC of its plan: the tasks stored, plus those of the
 * devices not released yet, which have no task stored (a release tick creates them). Those
 * count as pending while the job may still release them; as cancelled once it is cancelled;
 * as expired once its expiry passed, after which no tick releases them (releaser.ts
 * `stopExpired`). Nothing is counted while planning: the plan's size is not known yet.
 */
export function jobCounts(job: Pick<JobDoc, 'state' | 'plan' | 'rpcs' | 'expiresAt'>, stored: Counts, now = new Date()): Counts {
  const storedTotal = Object.values(stored).reduce((a, b) => a + b, 0);
  const unreleased = job.plan ? Math.max(0, job.plan.devices * job.rpcs.length - storedTotal) : 0;
  if (!unreleased) return stored;
  const as: TaskStatus =
    job.state === 'cancelling' || job.state === 'cancelled'
      ? 'cancelled'
      : (job.state === 'planning' || job.state === 'releasing') && !(job.expiresAt && job.expiresAt <= now)
        ? 'pending'
        : 'expired';
  return { ...stored, [as]: stored[as] + unreleased };
}

/**
 * Live counts of running jobs' stored tasks. Counting reads every task of the job, so a job's counts
 * are reused for ten times as long as they took to compute (0.5 s to 60 s) unless the job
 * changed state, and callers asking meanwhile share one computation.
 */
export class JobCounter {
  private readonly cache = new Map<string, { state: JobDoc['state']; at: number; took: number; counts: Promise<Counts> }>();

  constructor(private readonly tasks: Pick<JobDeps['tasks'], 'countByStatus'>) {}

  counts(job: Pick<JobDoc, '_id' | 'state'>, now = Date.now()): Promise<Counts> {
    const jobId = job._id;
    const hit = this.cache.get(jobId);
    if (hit && hit.state === job.state && now - hit.at < Math.min(60_000, Math.max(500, 10 * hit.took))) return hit.counts;
    const entry = { state: job.state, at: now, took: hit?.took ?? 0, counts: this.tasks.countByStatus(jobId) };
    entry.counts.then(
      () => (entry.took = Date.now() - now),
      () => this.cache.delete(jobId),
    );
    this.cache.delete(jobId);
    this.cache.set(jobId, entry);
    // Oldest first: a process watching many jobs over months keeps the recent ones.
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value!);
    return entry.counts;
  }

  forget(jobId: string): void {
    this.cache.delete(jobId);
  }
}

/**
 * The job with its task counts (`jobCounts`). A job that releases no further device and
 * whose tasks are all final is done; whoever sees it first (the API or the reconciler)
 * records it, with the counts frozen.
 */
export async function jobProgress(deps: Pick<JobDeps, 'jobs' | 'tasks'>, counter: JobCounter, job: JobDoc): Promise<JobProgress> {
  if (job.counts) return { job, status: jobStatus(job), tasks: job.counts };
  const tasks = jobCounts(job, await counter.counts(job));
  let current = job;
  if (job.state === 'released' && tasks.pending === 0 && tasks.sent === 0) {
    current = (await deps.jobs.transition(job._id, ['released'], 'done', tasks)) ?? (await deps.jobs.get(job._id)) ?? job;
    counter.forget(job._id);
  }
  return { job: current, status: jobStatus(current), tasks };
}
