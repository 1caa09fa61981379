import type { RedisClient } from '../../stores/redis';
import { redisKeys } from '../../stores/redis-keys';
import { withScripts } from '../../cwmp/session/store';

/**
 * Enumeration brake of the phones' channel: requests from one source that name an unknown MAC
 * or prove nothing are counted in Redis (shared by every replica) over a fixed window; once a
 * source spent its budget, it gets 429 for the rest of the window unless a request carries
 * proof, so phones behind the same NAT that prove themselves keep working.
 */
export interface ThrottleSettings {
  budget: number;
  windowSeconds: number;
}

export class PhoneThrottle {
  private readonly redis: ReturnType<typeof withScripts>;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    readonly settings: ThrottleSettings,
  ) {
    this.redis = withScripts(redis);
  }

  /** Whether the source already spent its budget in the current window. */
  async exhausted(source: string): Promise<boolean> {
    return Number((await this.redis.get(this.key(source))) ?? 0) >= this.settings.budget;
  }

  /** Counts one unknown or unproven request of the source; returns the source's count in the window. */
  async count(source: string): Promise<number> {
    return this.redis.acsCountFailure(this.key(source), this.settings.windowSeconds);
  }

  private key(source: string): string {
    return redisKeys(this.prefix).phones.unproven(source);
  }
}
