import type { NonceCount } from '../../../src/cwmp/auth/device-auth';
import type { AuthState, InflightRecord, OpenResult, SessionStates } from '../../../src/cwmp/session/ports';
import type { SessionState } from '../../../src/cwmp/session/state';
import { inflightMember } from '../../../src/cwmp/session/store';
import { Expiring } from './clock';

/**
 * SessionStore in memory: states kept as the JSON Redis would hold, each device's lock, both
 * expiring by the given clock, and the sweeper's sorted set of in-flight tasks. Every method
 * does what its Lua script does, atomically (test/integration/stores/conformance/sessions.test.ts).
 */
export class MemorySessions implements SessionStates, InflightRecord {
  private readonly states: Expiring<string, string>;
  private readonly locks: Expiring<string, string>;
  /** member -> deadline */
  private readonly inflight: Map<string, number>;
  /** the JSON this instance (one process) last stored per session, as SessionStore remembers it */
  private readonly written: Expiring<string, string>;

  constructor(
    readonly ttlMs: number,
    private readonly clock: () => number,
    /** where `open` records nonce counts (the Redis store keeps them beside the authentication state) */
    private readonly nonces?: Pick<AuthState, 'acceptNonceCount'>,
    /** the store of another instance, for a replica of it */
    shared?: { states: Expiring<string, string>; locks: Expiring<string, string>; inflight: Map<string, number> },
  ) {
    this.states = shared?.states ?? new Expiring(clock);
    this.locks = shared?.locks ?? new Expiring(clock);
    this.inflight = shared?.inflight ?? new Map();
    this.written = new Expiring(clock);
  }

  /** Another process on the same store: what it stored itself is its own. */
  replica(): MemorySessions {
    return new MemorySessions(this.ttlMs, this.clock, this.nonces, { states: this.states, locks: this.locks, inflight: this.inflight });
  }

  async load(id: string): Promise<SessionState | null> {
    if (!/^[0-9a-f]{32}$/.test(id)) return null;
    const raw = this.states.get(id);
    return raw ? (JSON.parse(raw) as SessionState) : null;
  }

  async open(state: SessionState, nonceCount?: NonceCount): Promise<OpenResult> {
    if (nonceCount) {
      if (!this.nonces) throw new Error('MemorySessions: open with a nonce count needs the nonce store');
      if (!(await this.nonces.acceptNonceCount(nonceCount.nonce, nonceCount.nc, nonceCount.ttlMs))) return { ok: false, replayed: true };
    }
    const left = this.locks.ttl(state.deviceId);
    if (left !== undefined) return { ok: false, retryAfterMs: Math.max(1, left) };
    this.locks.set(state.deviceId, state.id, this.ttlMs);
    this.store(state);
    return { ok: true };
  }

  private store(state: SessionState): void {
    const json = JSON.stringify(state);
    this.states.set(state.id, json, this.ttlMs);
    this.written.set(state.id, json, this.ttlMs);
  }

  /** an in-session count: the highest wins, a lower one changes nothing */
  private async record(nonceCount: NonceCount | undefined): Promise<void> {
    if (!nonceCount) return;
    if (!this.nonces) throw new Error('MemorySessions: a nonce count needs the nonce store');
    await this.nonces.acceptNonceCount(nonceCount.nonce, nonceCount.nc, nonceCount.ttlMs);
  }

  async save(state: SessionState, previousInflightTask?: string, nonceCount?: NonceCount): Promise<boolean> {
    await this.record(nonceCount);
    if (this.locks.get(state.deviceId) !== state.id) {
      this.written.delete(state.id);
      return false;
    }
    this.locks.expire(state.deviceId, this.ttlMs);
    this.store(state);
    const current = state.inflight?.taskId;
    if (previousInflightTask && previousInflightTask !== current) this.inflight.delete(inflightMember(previousInflightTask, state.id));
    if (current) this.inflight.set(inflightMember(current, state.id), this.clock() + this.ttlMs);
    return true;
  }

  async end(state: SessionState, previousInflightTask?: string, nonceCount?: NonceCount): Promise<void> {
    this.written.delete(state.id);
    await this.record(nonceCount);
    if (previousInflightTask) this.inflight.delete(inflightMember(previousInflightTask, state.id));
    if (this.locks.get(state.deviceId) === state.id) this.locks.delete(state.deviceId);
    this.states.set(state.id, JSON.stringify(state), this.ttlMs);
  }

  async reopen(state: SessionState): Promise<boolean> {
    const holder = this.locks.get(state.deviceId);
    if (holder !== undefined && holder !== state.id) return false;
    this.locks.set(state.deviceId, state.id, this.ttlMs);
    this.store(state);
    return true;
  }

  peek(id: string): SessionState | undefined {
    const json = this.written.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as SessionState);
  }

  async endUnchanged(state: SessionState, nonceCount?: NonceCount): Promise<boolean> {
    const expected = this.written.get(state.id);
    this.written.delete(state.id);
    if (expected === undefined || this.states.get(state.id) !== expected) return false;
    await this.end(state, undefined, nonceCount);
    return true;
  }

  async overdueInflight(now: number, limit: number): Promise<Array<{ taskId: string; sessionId: string; member: string }>> {
    return [...this.inflight]
      .filter(([, deadline]) => deadline <= now)
      .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([member]) => {
        const [taskId, sessionId] = member.split(' ');
        return { taskId, sessionId, member };
      });
  }

  async forgetInflight(member: string): Promise<void> {
    this.inflight.delete(member);
  }
}
