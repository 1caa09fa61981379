import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Config } from '../config';
import { Cluster } from 'ioredis';
import type { Logger } from '../log';
import { connectRedis, redisOptions } from '../stores/redis';
import { redisKeys } from '../stores/redis-keys';
import { parseRedisUrl } from '../stores/redis-url';

/**
 * The BullMQ queues. Their jobs carry ids only: MongoDB holds every task and job, so a lost
 * Redis loses no work, and the reconciler queues again what MongoDB says is unfinished.
 */
export const QUEUES = {
  /** planning, releasing and cancelling bulk jobs */
  jobs: 'jobs',
  /** connection requests */
  wake: 'connection-requests',
  /** task expiry */
  housekeeping: 'housekeeping',
} as const;

export type JobStep =
  | { step: 'plan'; jobId: string }
  /** release the devices from `position` on; `due` is when this tick was meant to run (epoch ms) */
  | { step: 'release'; jobId: string; position: number; due: number }
  | { step: 'cancel'; jobId: string };

/** Wake one device for these tasks. */
export interface WakeData {
  deviceId: string;
  taskIds: string[];
}

/**
 * A connection request's queue id: a device is not woken twice for the same reason while one
 * request is still queued (a job's device, or a task at a given retry).
 */
export function wakeKey(task: { _id: string; deviceId: string; jobId?: string; retries?: number }): string {
  return task.jobId && !task.retries ? `cr-${task.jobId}-${task.deviceId}` : `cr-${task._id}-${task.retries ?? 0}`;
}

/**
 * BullMQ makes its own connections from options (one server, Sentinel); a cluster needs a
 * client instance, which BullMQ shares and never closes: `releaseBullConnection` does.
 */
export function bullConnection(config: Pick<Config, 'redisUrl'>): ConnectionOptions {
  const target = parseRedisUrl(config.redisUrl);
  if (target.kind === 'cluster') return connectRedis(config.redisUrl, { blocking: true, name: 'acs-bullmq' });
  if (target.kind === 'single') return { url: config.redisUrl, maxRetriesPerRequest: null };
  const options = redisOptions(target, { blocking: true });
  // BullMQ's type has no room for ioredis' `null` (no reconnection), which redisOptions never sets
  return { ...options, retryStrategy: options.retryStrategy ?? undefined };
}

/** Closes what `bullConnection` made, once the queues and workers using it are closed. */
export async function releaseBullConnection(connection: ConnectionOptions): Promise<void> {
  if (connection instanceof Cluster) await connection.quit().catch(() => connection.disconnect());
}

/** Every BullMQ key starts with the deployment's Redis prefix; its hash tag keeps each queue's keys in one slot. */
export function bullPrefix(config: Pick<Config, 'redisPrefix'>): string {
  return redisKeys(config.redisPrefix).bull;
}

const KEEP: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 600, count: 10_000 },
  removeOnFail: { age: 86_400, count: 10_000 },
};

/** Producer side of the queues, shared by the api and worker roles. */
export class JobQueues {
  readonly jobs: Queue<JobStep>;
  readonly wake: Queue<WakeData>;
  readonly housekeeping: Queue;
  private readonly connection: ConnectionOptions;

  constructor(
    private readonly config: Config,
    log: Logger,
  ) {
    const options = { connection: (this.connection = bullConnection(config)), prefix: bullPrefix(config) };
    this.jobs = new Queue<JobStep>(QUEUES.jobs, options);
    this.wake = new Queue<WakeData>(QUEUES.wake, options);
    this.housekeeping = new Queue(QUEUES.housekeeping, options);
    for (const q of [this.jobs, this.wake, this.housekeeping] as Queue[]) {
      q.on('error', (err) => log.warn({ event: 'queue.error', queue: q.name, err: err.message }, 'BullMQ queue error'));
    }
  }

  /**
   * `again` adds a step even if one with the same id is still queued (the reconciler uses it:
   * the queued one may belong to a dead worker). Steps are safe to run twice.
   */
  async plan(jobId: string, again = false): Promise<void> {
    await this.jobs.add('plan', { step: 'plan', jobId }, { ...KEEP, jobId: stepId(['plan', jobId], again), attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
  }

  async release(jobId: string, position: number, due: number, again = false): Promise<void> {
    await this.jobs.add(
      'release',
      { step: 'release', jobId, position, due },
      { ...KEEP, jobId: stepId(['release', jobId, String(position)], again), delay: Math.max(0, due - Date.now()), attempts: 5, backoff: { type: 'exponential', delay: 500 } },
    );
  }

  async cancel(jobId: string, again = false): Promise<void> {
    await this.jobs.add('cancel', { step: 'cancel', jobId }, { ...KEEP, jobId: stepId(['cancel', jobId], again), attempts: 20, backoff: { type: 'exponential', delay: 1000 } });
  }

  /** One connection request per entry; an entry whose key is still queued is not added twice. */
  async wakeDevices(entries: Array<WakeData & { key: string }>): Promise<void> {
    if (!entries.length) return;
    await this.wake.addBulk(
      entries.map(({ key, ...data }) => ({
        name: 'wake',
        data,
        opts: { ...KEEP, jobId: key, attempts: this.config.connectionRequests.attempts, backoff: { type: 'exponential', delay: 1000 } },
      })),
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.jobs.close(), this.wake.close(), this.housekeeping.close()]);
    await releaseBullConnection(this.connection);
  }
}

function stepId(parts: string[], again: boolean): string {
  return [...parts, ...(again ? [`r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`] : [])].join('-');
}
