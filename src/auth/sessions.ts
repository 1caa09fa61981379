import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../stores/redis';
import { redisKeys } from '../stores/redis-keys';
import type { ApiRole } from './roles';

/** What Redis keeps of a console session: whose it is, and since when. */
export interface SessionRecord {
  user: string;
  /** the user's `sessionEpoch` at sign-in: a password reset ends older sessions */
  epoch: number;
  /** epoch milliseconds */
  createdAt: number;
  /** set when the person signed in through the OpenID Connect provider, which vouches for the role */
  sso?: SsoIdentity;
}

/** Who the OpenID Connect provider said signed in, and the role their claim mapped to. */
export interface SsoIdentity {
  role: ApiRole;
  issuer: string;
  subject: string;
}

export interface SessionLimits {
  idleSeconds: number;
  maxSeconds: number;
}

/** A session id as it travels in the cookie: 256 random bits. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function isSessionId(text: string | undefined): text is string {
  return !!text && SESSION_ID.test(text);
}

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Console sign-in sessions in Redis. The key holds the SHA-256 of the id, so a copy of Redis
 * cannot be replayed as cookies. The key's TTL is the idle expiry, renewed by each use but
 * never past the absolute expiry (`createdAt + maxSeconds`), so Redis forgets sessions itself.
 */
export class SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly limits: SessionLimits,
  ) {}

  private key(id: string): string {
    return redisKeys(this.prefix).console.session(createHash('sha256').update(id).digest('base64url'));
  }

  async create(user: string, epoch: number, now = Date.now()): Promise<string> {
    return this.write({ user, epoch, createdAt: now });
  }

  /** A session of someone the OpenID Connect provider vouched for; no local user backs it. */
  async createSso(user: string, sso: SsoIdentity, now = Date.now()): Promise<string> {
    return this.write({ user, epoch: 0, createdAt: now, sso });
  }

  private async write(record: SessionRecord): Promise<string> {
    const id = newSessionId();
    await this.redis.set(this.key(id), JSON.stringify(record), 'EX', Math.min(this.limits.idleSeconds, this.limits.maxSeconds));
    return id;
  }

  /**
   * The live session for a cookie value, its idle expiry renewed unless `renew` is false (a
   * check that is no use of the session); undefined when unknown or expired.
   */
  async use(id: string, now = Date.now(), renew = true): Promise<SessionRecord | undefined> {
    if (!isSessionId(id)) return undefined;
    const key = this.key(id);
    const text = await this.redis.get(key);
    if (!text) return undefined;
    const record = JSON.parse(text) as SessionRecord;
    const left = Math.floor((record.createdAt + this.limits.maxSeconds * 1000 - now) / 1000);
    if (left <= 0) {
      await this.redis.del(key);
      return undefined;
    }
    if (renew) await this.redis.expire(key, Math.min(this.limits.idleSeconds, left));
    return record;
  }

  async delete(id: string): Promise<void> {
    if (isSessionId(id)) await this.redis.del(this.key(id));
  }
}
