import { Redis, type RedisOptions } from 'ioredis';

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

/** The URL with its password masked, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/**
 * One ioredis client. Keys are prefixed by the caller with the configured prefix: ioredis'
 * own keyPrefix is not used because BullMQ refuses clients that have one.
 */
export function connectRedis(url: string, options: RedisConnectOptions = {}): Redis {
  const redisOptions: RedisOptions = {
    // Request handlers should fail fast when Redis is away; workers wait for it.
    maxRetriesPerRequest: options.blocking ? null : 2,
    connectionName: options.name,
    lazyConnect: options.lazyConnect ?? false,
    // Reconnect forever, backing off to one attempt every 2 s.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // Commands issued in the same tick leave in one write: concurrent sessions share syscalls.
    // (Blocking clients gain nothing from it.)
    enableAutoPipelining: !options.blocking,
  };
  return new Redis(url, redisOptions);
}

/** Readiness check of an open client. */
export async function pingRedis(redis: Redis): Promise<void> {
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
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
