import { createHash } from 'node:crypto';
import type { RedisClient } from '../stores/redis';
import { redisKeys } from '../stores/redis-keys';

export interface LockoutLimits {
  /** failures per user name within the window */
  perName: number;
  /** failures per source address within the window */
  perAddress: number;
  windowSeconds: number;
}

/**
 * Counts failed console sign-ins in Redis, per user name and per source address, in a window
 * that starts at the first failure. Names are counted whether or not such a user exists, so
 * being locked out tells nothing about which names are real.
 */
export class LoginLockout {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly limits: LockoutLimits,
  ) {}

  private keys(name: string, address: string): [string, string] {
    const h = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);
    const keys = redisKeys(this.prefix).console;
    return [keys.loginFailures('name', h(name)), keys.loginFailures('addr', h(address))];
  }

  /** Seconds until a sign-in may be tried again for this name from this address; 0 when it may now. */
  async retryAfter(name: string, address: string): Promise<number> {
    const [nameKey, addrKey] = this.keys(name, address);
    // two GETs, not one MGET: on a cluster the two counters live in different slots
    const [byName, byAddr] = await Promise.all([this.redis.get(nameKey), this.redis.get(addrKey)]);
    const waits: Array<Promise<number>> = [];
    if (Number(byName ?? 0) >= this.limits.perName) waits.push(this.redis.ttl(nameKey));
    if (Number(byAddr ?? 0) >= this.limits.perAddress) waits.push(this.redis.ttl(addrKey));
    if (!waits.length) return 0;
    return Math.max(1, ...(await Promise.all(waits)));
  }

  async failed(name: string, address: string): Promise<void> {
    const window = this.limits.windowSeconds;
    // one MULTI per counter (each its own slot on a cluster)
    await Promise.all(this.keys(name, address).map((key) => this.redis.multi().set(key, 0, 'EX', window, 'NX').incr(key).exec()));
  }

  /** A successful sign-in forgives the name's failures (not the address's). */
  async succeeded(name: string, address: string): Promise<void> {
    await this.redis.del(this.keys(name, address)[0]);
  }
}
