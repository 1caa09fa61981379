import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { scanKeys, type RedisClient } from '../stores/redis';
import { redisKeys } from '../stores/redis-keys';
import type { AppContext } from './context';
import type { RunningRole } from './http';

/** How often a process says it is alive; its entry lives three times as long. */
const EVERY_MS = 10_000;
const TTL_SECONDS = 30;
/** upper bound of processes the health page lists (SCAN stops there) */
const MAX_PROCESSES = 500;

/** One process of the deployment, as it last reported itself. */
export interface ProcessPresence {
  host: string;
  pid: number;
  roles: string[];
  /** its stores answered at the last report (what each role's /ready checks) */
  ready: boolean;
  startedAt: string;
  reportedAt: string;
}

/**
 * Each process writes, every 10 s, which roles it runs and whether its stores answer, under
 * a key that expires after 30 s: the api role lists the live ones for the health page, and
 * a process that died drops off by itself.
 */
export function startPresence(ctx: Pick<AppContext, 'config' | 'log' | 'ready' | 'redis'>, roles: string[]): RunningRole {
  const key = redisKeys(ctx.config.redisPrefix).presence.process(`${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`);
  const startedAt = new Date().toISOString();
  const report = async () => {
    const entry: ProcessPresence = { host: hostname(), pid: process.pid, roles, ready: await ctx.ready(), startedAt, reportedAt: new Date().toISOString() };
    await ctx.redis.set(key, JSON.stringify(entry), 'EX', TTL_SECONDS);
  };
  const failed = (err: unknown) => ctx.log.warn({ event: 'presence.failed', err: (err as Error).message }, 'could not report this process to the health page');
  void report().catch(failed);
  const timer = setInterval(() => void report().catch(failed), EVERY_MS);
  timer.unref();
  return {
    name: 'presence',
    close: async () => {
      clearInterval(timer);
      await ctx.redis.del(key).catch(() => undefined);
    },
  };
}

/** The processes that reported in the last 30 s, by host and pid. */
export async function readPresence(redis: RedisClient, redisPrefix: string): Promise<ProcessPresence[]> {
  const keys = await scanKeys(redis, redisKeys(redisPrefix).presence.pattern, MAX_PROCESSES);
  // one GET each (pipelined), not MGET: on a cluster the entries live in different slots
  const values = await Promise.all(keys.map((k) => redis.get(k)));
  return values
    .filter((v): v is string => v !== null)
    .map((v) => JSON.parse(v) as ProcessPresence)
    .sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid);
}
