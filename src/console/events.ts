import type { RedisClient } from '../stores/redis';
import { redisKeys } from '../stores/redis-keys';
import type { TaskEnded } from '../jobs/deps';
import type { Logger } from '../log';

/**
 * What the console's live feed carries, per device. Published on one Redis channel by the
 * processes where it happens (cwmp sessions), read by every api process for its SSE clients.
 */
export type LiveEvent =
  | { type: 'session'; deviceId: string; state: 'started' | 'ended' | 'recorded'; sessionId: string; at: string }
  | { type: 'task'; deviceId: string; id: string; status: string; at: string }
  | { type: 'parameters'; deviceId: string; paths: string[]; at: string }
  | { type: 'device'; deviceId: string; change: string; at: string }
  | { type: 'job'; jobId: string; deviceId: string; status: string; at: string };

export const LIVE_EVENT_TYPES = ['session', 'task', 'parameters', 'device', 'job'] as const;

export function liveChannel(prefix: string): string {
  return redisKeys(prefix).console.liveChannel;
}

/** Most paths a `parameters` event lists; a larger refresh names its common prefixes only. */
export const MAX_EVENT_PATHS = 50;

/** The paths a `parameters` event names: at most MAX_EVENT_PATHS, else their parent objects. */
export function eventPaths(paths: readonly string[]): string[] {
  if (paths.length <= MAX_EVENT_PATHS) return [...paths];
  const parents = [...new Set(paths.map((p) => p.replace(/[^.]+\.?$/, '')))];
  return parents.length <= MAX_EVENT_PATHS ? parents : parents.slice(0, MAX_EVENT_PATHS);
}

export async function publishLive(redis: RedisClient, prefix: string, event: LiveEvent): Promise<void> {
  await redis.publish(liveChannel(prefix), JSON.stringify(event));
}

/** A task's end that no session saw (expiry in the worker, cancellation): the same `task` event. */
export function liveTaskEnded(redis: RedisClient, prefix: string, log: Logger): TaskEnded {
  return (task, at) =>
    publishLive(redis, prefix, { type: 'task', deviceId: task.deviceId, id: task._id, status: task.status, at: at.toISOString() }).catch((err) =>
      log.warn({ event: 'live.publish_failed', task: task._id, err: (err as Error).message }, 'could not publish a task change'),
    );
}
