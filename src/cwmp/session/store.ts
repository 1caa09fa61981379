import { Cluster } from 'ioredis';
import type { NonceCount } from '../auth/device-auth';
import { replicated, type RedisClient } from '../../stores/redis';
import { ALL_SESSION_GROUPS, redisKeys } from '../../stores/redis-keys';
import { declareRedisScripts, withRedisScripts } from '../../stores/redis-scripts';
import type { AuthState, InflightRecord, OpenResult, SessionStates } from './ports';
import type { SessionState } from './state';

/**
 * Redis keys of the CWMP sessions. Each operation that must be atomic is one Lua script, so a
 * request costs one round trip per step and a session that lost its lock (it idled past the
 * timeout and the device started another) can no longer write.
 */
/**
 * Lua: records a nonce count an in-session request was verified with. A count already seen is
 * not refused there (the cookie and address authenticate the request); it is only kept from
 * opening a session later, so the highest count wins.
 */
const RECORD_COUNT = `
  local function recordCount(key, nc, ttl)
    if nc == '' then return end
    if tonumber(nc) > tonumber(redis.call('GET', key) or '-1') then redis.call('SET', key, nc, 'PX', ttl) end
  end`;

/** Lua, the end of a session (KEYS and ARGV of acsEndSession). */
const END_SESSION = `
  recordCount(KEYS[4], ARGV[5], ARGV[6])
  if ARGV[4] ~= '' then redis.call('ZREM', KEYS[3], ARGV[4]) end
  if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  return 1`;

/** The most states a process remembers having written (a few seconds of sessions at any rate). */
const WRITTEN_MAX = 10_000;

const SCRIPTS = declareRedisScripts({
  /**
   * KEYS: lock, session, and the Digest nonce counter when ARGV[4] is not ''. ARGV: sid, state,
   * ttlMs, nc, nonce ttlMs. Returns -2 when nc was already seen (nothing taken), -1 when the
   * lock is taken now, else the lock's remaining ms. The count is recorded even when the lock
   * is busy, as a separate check would have.
   */
  acsOpenSession: {
    numberOfKeys: 3,
    lua: `
      if ARGV[4] ~= '' then
        local seen = tonumber(redis.call('GET', KEYS[3]) or '-1')
        if tonumber(ARGV[4]) <= seen then return -2 end
        redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
      end
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) then
        redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
        return -1
      end
      local ttl = redis.call('PTTL', KEYS[1])
      if ttl < 1 then ttl = 1 end
      return ttl`,
  },
  /**
   * KEYS: lock, session, inflight, and the Digest nonce counter when ARGV[7] is not ''. ARGV:
   * sid, state, ttlMs, addMember, deadline, removeMember, nc, nonce ttlMs. The count is
   * recorded whether or not the session still holds its lock.
   */
  acsSaveSession: {
    numberOfKeys: 4,
    lua: `${RECORD_COUNT}
      recordCount(KEYS[4], ARGV[7], ARGV[8])
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
      if ARGV[6] ~= '' then redis.call('ZREM', KEYS[3], ARGV[6]) end
      if ARGV[4] ~= '' then redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4]) end
      return 1`,
  },
  /** KEYS: lock, session, inflight, nonce counter as in acsSaveSession. ARGV: sid, state, graceMs, removeMember, nc, nonce ttlMs. */
  acsEndSession: {
    numberOfKeys: 4,
    lua: `${RECORD_COUNT}
      ${END_SESSION}`,
  },
  /** As acsEndSession, ARGV[7] the state the session must still hold; else 0, and nothing is touched. */
  acsEndUnchangedSession: {
    numberOfKeys: 4,
    lua: `${RECORD_COUNT}
      if redis.call('GET', KEYS[2]) ~= ARGV[7] then return 0 end
      ${END_SESSION}`,
  },
  /** KEYS: lock, session. ARGV: sid, state, ttlMs. Re-takes the lock of an ended session. */
  acsReopenSession: {
    numberOfKeys: 2,
    lua: `
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) or redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
        return 1
      end
      return 0`,
  },
  /** KEYS: counter. ARGV: nc, ttlMs. 1 when nc is higher than any seen with this nonce. */
  acsNonceCount: {
    numberOfKeys: 1,
    lua: `
      local seen = tonumber(redis.call('GET', KEYS[1]) or '-1')
      local nc = tonumber(ARGV[1])
      if nc <= seen then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1`,
  },
  /** KEYS: counter. ARGV: windowSeconds. Counts a failure; returns the count. */
  acsCountFailure: {
    numberOfKeys: 1,
    lua: `
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      return n`,
  },
});

type ScriptRedis = ReturnType<typeof withScripts>;

export function withScripts(redis: RedisClient) {
  return withRedisScripts(redis, SCRIPTS);
}

function acceptNonceCount(redis: ScriptRedis, key: string, count: Pick<NonceCount, 'nc' | 'ttlMs'>): Promise<boolean> {
  return redis.acsNonceCount(key, count.nc, count.ttlMs).then((r) => r === 1);
}

/** An in-flight task as remembered for the sweeper: which task, held by which session. */
export function inflightMember(taskId: string, sessionId: string): string {
  return `${taskId} ${sessionId}`;
}

export class SessionStore implements SessionStates, InflightRecord {
  private readonly redis: ScriptRedis;
  private readonly keys: ReturnType<typeof redisKeys>['cwmp'];
  /**
   * The state this process last wrote for each session, as written, while its lock may hold:
   * what `peek` offers and `endUnchanged` proves Redis still holds. Oldest first.
   */
  private readonly written = new Map<string, { json: string; until: number }>();

  constructor(
    redis: RedisClient,
    prefix: string,
    readonly ttlMs: number,
    /** epoch ms, for the sweeper's deadlines (the conformance suite runs it on a test clock) */
    private readonly clock: () => number = Date.now,
  ) {
    this.redis = withScripts(redis);
    this.keys = redisKeys(prefix).cwmp;
  }

  private sessionKey(id: string) {
    return this.keys.session(id);
  }
  /** The device's lock, in the group its session id starts with (the device's: see newSessionId). */
  private lockKey(state: SessionState) {
    return this.keys.lock(state.deviceId, state.id.slice(0, 2));
  }
  /** The in-flight index of the session's group (the same as its device's: see newSessionId). */
  private inflightKey(sessionId: string) {
    return this.keys.inflight(sessionId.slice(0, 2));
  }

  async load(id: string): Promise<SessionState | null> {
    if (!/^[0-9a-f]{32}$/.test(id)) return null;
    const raw = await this.redis.get(this.sessionKey(id));
    return raw ? (JSON.parse(raw) as SessionState) : null;
  }

  private remember(id: string, json: string): void {
    const now = this.clock();
    this.written.delete(id);
    this.written.set(id, { json, until: now + this.ttlMs });
    for (const [oldest, { until }] of this.written) {
      if (until > now && this.written.size <= WRITTEN_MAX) break;
      this.written.delete(oldest);
    }
  }

  peek(id: string): SessionState | undefined {
    const known = this.written.get(id);
    if (!known) return undefined;
    if (known.until <= this.clock()) {
      this.written.delete(id);
      return undefined;
    }
    return JSON.parse(known.json) as SessionState;
  }

  /**
   * A nonce count as the session scripts take it: the counter's key (without a count the key is
   * never touched, and the lock's name stands in for it), nc and ttl ('' for none). On a
   * cluster the counter lives in another slot than the device's keys (a nonce is not tied to a
   * device), so there the count is recorded first by a round trip of its own; `fresh` is false
   * when that found it replayed.
   */
  private async countArgs(lockKey: string, count: NonceCount | undefined): Promise<{ key: string; nc: number | ''; ttlMs: number | ''; fresh: boolean }> {
    const none = { key: lockKey, nc: '' as const, ttlMs: '' as const };
    if (!count) return { ...none, fresh: true };
    if (this.redis instanceof Cluster) return { ...none, fresh: await acceptNonceCount(this.redis, this.keys.nonceCount(count.nonce), count) };
    return { key: this.keys.nonceCount(count.nonce), nc: count.nc, ttlMs: count.ttlMs, fresh: true };
  }

  /**
   * Records the nonce count, takes the device's lock and stores the new session, in one
   * script; otherwise the ms the lock still holds.
   */
  async open(state: SessionState, nonceCount?: NonceCount): Promise<OpenResult> {
    const lock = this.lockKey(state);
    const count = await this.countArgs(lock, nonceCount);
    if (!count.fresh) return { ok: false, replayed: true };
    const json = JSON.stringify(state);
    const r = await this.redis.acsOpenSession(lock, this.sessionKey(state.id), count.key, state.id, json, this.ttlMs, count.nc, count.ttlMs);
    if (r === -2) return { ok: false, replayed: true };
    if (r >= 0) return { ok: false, retryAfterMs: r };
    await replicated(this.redis);
    this.remember(state.id, json);
    return { ok: true };
  }

  /**
   * Stores the state and extends the lock; false when the session lost its lock. `previous`
   * is the in-flight task of the state as loaded, so the sweeper's record follows the state.
   * `nonceCount`: one the request was verified with, recorded in the same step (a replayed one
   * is not refused there: the session's cookie and address authenticate the request).
   */
  async save(state: SessionState, previousInflightTask?: string, nonceCount?: NonceCount): Promise<boolean> {
    const add = state.inflight?.taskId ? inflightMember(state.inflight.taskId, state.id) : '';
    const remove = previousInflightTask && previousInflightTask !== state.inflight?.taskId ? inflightMember(previousInflightTask, state.id) : '';
    const lock = this.lockKey(state);
    const count = await this.countArgs(lock, nonceCount);
    const json = JSON.stringify(state);
    const r = await this.redis.acsSaveSession(
      lock,
      this.sessionKey(state.id),
      this.inflightKey(state.id),
      count.key,
      state.id,
      json,
      this.ttlMs,
      add,
      this.clock() + this.ttlMs,
      remove,
      count.nc,
      count.ttlMs,
    );
    // A state the next master may not have is as good as lost: the caller sends no task on it.
    const saved = r === 1 && (await replicated(this.redis));
    if (saved) this.remember(state.id, json);
    else this.written.delete(state.id);
    return saved;
  }

  /** Releases the lock; the ended state stays readable for one more timeout. `nonceCount` as in save. */
  async end(state: SessionState, previousInflightTask?: string, nonceCount?: NonceCount): Promise<void> {
    this.written.delete(state.id);
    const remove = previousInflightTask ? inflightMember(previousInflightTask, state.id) : '';
    const lock = this.lockKey(state);
    const count = await this.countArgs(lock, nonceCount);
    await this.redis.acsEndSession(lock, this.sessionKey(state.id), this.inflightKey(state.id), count.key, state.id, JSON.stringify(state), this.ttlMs, remove, count.nc, count.ttlMs);
    await replicated(this.redis);
  }

  async endUnchanged(state: SessionState, nonceCount?: NonceCount): Promise<boolean> {
    const expected = this.written.get(state.id)?.json;
    this.written.delete(state.id);
    if (expected === undefined) return false;
    const lock = this.lockKey(state);
    const count = await this.countArgs(lock, nonceCount);
    const r = await this.redis.acsEndUnchangedSession(lock, this.sessionKey(state.id), this.inflightKey(state.id), count.key, state.id, JSON.stringify(state), this.ttlMs, '', count.nc, count.ttlMs, expected);
    if (r !== 1) return false;
    await replicated(this.redis);
    return true;
  }

  async reopen(state: SessionState): Promise<boolean> {
    const json = JSON.stringify(state);
    const ok = (await this.redis.acsReopenSession(this.lockKey(state), this.sessionKey(state.id), state.id, json, this.ttlMs)) === 1;
    if (ok) await replicated(this.redis);
    if (ok) this.remember(state.id, json);
    return ok;
  }

  /** In-flight tasks whose session has not been heard from before `now`, from every group. */
  async overdueInflight(now: number, limit: number): Promise<Array<{ taskId: string; sessionId: string; member: string }>> {
    // Each group's oldest, then the oldest of all: the deadline order holds across groups.
    const groups = await Promise.all(ALL_SESSION_GROUPS.map((g) => this.redis.zrangebyscore(this.keys.inflight(g), '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)));
    const overdue: Array<{ member: string; deadline: number }> = [];
    for (const flat of groups) for (let i = 0; i < flat.length; i += 2) overdue.push({ member: flat[i], deadline: Number(flat[i + 1]) });
    return overdue
      .sort((a, b) => a.deadline - b.deadline || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0))
      .slice(0, limit)
      .map(({ member }) => {
        const [taskId, sessionId] = member.split(' ');
        return { taskId, sessionId, member };
      });
  }

  async forgetInflight(member: string): Promise<void> {
    await this.redis.zrem(this.inflightKey(member.split(' ')[1] ?? ''), member);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.sessionKey(id))) === 1;
  }
}

/** Redis-side state of device authentication: Digest nonce counts and failed-login counters. */
export class AuthStore implements AuthState {
  private readonly redis: ScriptRedis;
  private readonly keys: ReturnType<typeof redisKeys>['cwmp'];

  constructor(redis: RedisClient, prefix: string) {
    this.redis = withScripts(redis);
    this.keys = redisKeys(prefix).cwmp;
  }

  /** True when `nc` is fresh for this nonce (replay protection). */
  acceptNonceCount(nonce: string, nc: number, ttlMs: number): Promise<boolean> {
    return acceptNonceCount(this.redis, this.keys.nonceCount(nonce), { nc, ttlMs });
  }

  async failures(source: string): Promise<number> {
    return Number((await this.redis.get(this.keys.authFailures(source))) ?? 0);
  }

  async countFailure(source: string, windowSeconds: number): Promise<number> {
    return this.redis.acsCountFailure(this.keys.authFailures(source), windowSeconds);
  }
}
