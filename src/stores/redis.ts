import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { parseRedisUrl, type RedisTarget } from './redis-url';
import { declaredRedisScripts } from './redis-scripts';

export { redactRedisUrl } from './redis-url';

/**
 * A connection to one server, to the master Sentinel names, or to a cluster: the commands the
 * stores use are the same on each (every multi-key command keeps its keys in one slot, see
 * redis-keys.ts).
 */
export type RedisClient = Redis | Cluster;

export interface RedisConnectOptions {
  /**
   * For BullMQ workers (and anything else that blocks): commands wait across reconnects
   * forever. BullMQ 6 refuses a worker connection whose maxRetriesPerRequest is not null.
   */
  blocking?: boolean;
  /** connection name shown by CLIENT LIST */
  name?: string;
  /** do not connect until the first command (default false) */
  lazyConnect?: boolean;
}

/**
 * During a Sentinel fail-over the old master answers READONLY until the connection is moved:
 * reconnecting (ioredis asks Sentinel again) and resending the command finds the new master.
 */
const reconnectOnReadonly = (err: Error) => (err.message.startsWith('READONLY') ? 2 : false);

/**
 * ioredis options of one server or of Sentinel's master (not of a cluster: see
 * `clusterOptions`). Keys are prefixed by the caller with the configured prefix: ioredis' own
 * keyPrefix is not used because BullMQ refuses clients that have one.
 */
export function redisOptions(target: Exclude<RedisTarget, { kind: 'cluster' }>, options: RedisConnectOptions = {}): RedisOptions {
  const common: RedisOptions = {
    // Request handlers should fail fast when Redis is away; workers wait for it.
    maxRetriesPerRequest: options.blocking ? null : 2,
    connectionName: options.name,
    lazyConnect: options.lazyConnect ?? false,
    // Reconnect forever, backing off to one attempt every 2 s.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // Commands issued in the same tick leave in one write: concurrent sessions share syscalls.
    // (Blocking clients gain nothing from it.)
    enableAutoPipelining: !options.blocking,
    scripts: declaredRedisScripts(),
  };
  if (target.kind === 'single') return common;
  return {
    ...common,
    sentinels: target.sentinels,
    name: target.name,
    db: target.db,
    username: target.username,
    password: target.password,
    sentinelPassword: target.sentinelPassword,
    ...(target.tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
    // Sentinel closes the clients of a demoted master, so ioredis asks the sentinels again.
    // (ioredis' failoverDetector is left off: a client closed while it subscribes keeps
    // reconnecting to the sentinels, and the process never exits.)
    reconnectOnError: reconnectOnReadonly,
  };
}

function clusterOptions(target: Extract<RedisTarget, { kind: 'cluster' }>, options: RedisConnectOptions): ClusterOptions {
  return {
    lazyConnect: options.lazyConnect ?? false,
    enableAutoPipelining: !options.blocking,
    scripts: declaredRedisScripts(),
    // a cluster client re-resolves the slots and retries MOVED/ASK itself; this bounds its wait
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    redisOptions: {
      maxRetriesPerRequest: options.blocking ? null : 2,
      connectionName: options.name,
      username: target.username,
      password: target.password,
      ...(target.tls ? { tls: {} } : {}),
    },
  };
}

/** One client for REDIS_URL (already validated by loadConfig). */
export function connectRedis(url: string, options: RedisConnectOptions = {}): RedisClient {
  const target = parseRedisUrl(url);
  if (target.kind === 'cluster') return new Cluster(target.nodes, clusterOptions(target, options));
  return target.kind === 'single' ? new Redis(url, redisOptions(target, options)) : new Redis(redisOptions(target, options));
}

/**
 * On a Sentinel deployment, waits (at most `timeoutMs`) until a replica holds this
 * connection's writes so far: what a device is told next survives a fail-over (Redis
 * replicates asynchronously; a promoted replica would miss the newest writes). False when no
 * replica acknowledged in time: during a fail-over the old master takes writes its successor
 * never sees, so a caller about to hand a device work must not. True on one server or a cluster.
 */
export async function replicated(redis: RedisClient, timeoutMs = 1000): Promise<boolean> {
  if (!(redis instanceof Redis && redis.options.sentinels?.length)) return true;
  return (await redis.wait(1, timeoutMs)) >= 1;
}

/** A second connection like `redis` (a subscriber needs its own). */
export function duplicateRedis(redis: RedisClient): RedisClient {
  return redis instanceof Cluster ? redis.duplicate() : redis.duplicate();
}

/** Readiness check of an open client. */
export async function pingRedis(redis: RedisClient): Promise<void> {
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
}

/**
 * Every key matching `pattern`, up to `limit`: SCAN runs on each master of a cluster (a
 * cluster client's SCAN would see one node's keys only).
 */
export async function scanKeys(redis: RedisClient, pattern: string, limit: number): Promise<string[]> {
  const keys: string[] = [];
  for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0' && keys.length < limit);
    if (keys.length >= limit) break;
  }
  return keys.slice(0, limit);
}

/** True when a Redis server answers PING at the URL within the timeout; never throws. */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await pingRedis(redis);
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
