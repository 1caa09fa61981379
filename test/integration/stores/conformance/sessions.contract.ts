import { randomBytes } from 'node:crypto';
import type { AuthState, InflightRecord, SessionStates } from '../../../../src/cwmp/session/ports';
import type { SessionState } from '../../../../src/cwmp/session/state';
import { CWMP_NAMESPACES } from '../../../../src/cwmp/soap/types';
import { newSessionId } from '../../../../src/stores/redis-keys';

/** The session store on a clock the case advances. */
export interface SessionsFixture {
  sessions: SessionStates & InflightRecord;
  /** the same store as another process (replica) sees it */
  replica(): SessionStates;
  /** the nonce counts `open` records into */
  nonces: AuthState;
  now(): number;
  advance(ms: number): Promise<void>;
}

export const SESSION_TTL_MS = 30_000;

let devices = 0;
export function sessionState(fields: Partial<SessionState> = {}): SessionState {
  const deviceId = fields.deviceId ?? `dev-${devices++}`;
  return {
    // as the engine makes it: the device's session group, then random bits
    id: newSessionId(deviceId),
    deviceId,
    namespace: CWMP_NAMESPACES['1.2'],
    cwmpVersion: '1.2',
    remoteAddress: '10.0.0.1',
    startedAt: 0,
    phase: 'cpe',
    queue: [],
    rpcCount: 0,
    holdRequests: false,
    ...fields,
  };
}

const inflight = (taskId: string) => ({ taskId, rpcId: 'r-1', rpc: { method: 'Reboot' as const, commandKey: taskId } });

export function sessionsContract(fixture: () => SessionsFixture): void {
  it('opens one session per device; another waits as long as the lock still holds', async () => {
    const { sessions, advance } = fixture();
    const a = sessionState();
    expect(await sessions.open(a)).toEqual({ ok: true });
    await advance(10_000);
    const refused = await sessions.open(sessionState({ deviceId: a.deviceId }));
    expect(refused.ok).toBe(false);
    const wait = (refused as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(SESSION_TTL_MS - 10_000 - 5_000);
    expect(wait).toBeLessThanOrEqual(SESSION_TTL_MS - 10_000);
    expect(await sessions.open(sessionState())).toEqual({ ok: true });
  });

  it('records the nonce count given to open in the same step; a replayed one opens nothing', async () => {
    const { sessions, nonces } = fixture();
    const nonce = randomBytes(8).toString('hex');
    const count = { nonce, nc: 1, ttlMs: 60_000 };
    const a = sessionState();
    expect(await sessions.open(a, count)).toEqual({ ok: true });
    expect(await nonces.acceptNonceCount(nonce, 1, 60_000)).toBe(false);
    // The same header again, for another device: refused before any lock is taken.
    const b = sessionState();
    expect(await sessions.open(b, count)).toEqual({ ok: false, replayed: true });
    expect(await sessions.load(b.id)).toBeNull();
    expect(await sessions.open(b)).toEqual({ ok: true });
    // A busy device still consumes the count it was offered.
    const busy = await sessions.open(sessionState({ deviceId: a.deviceId }), { ...count, nc: 2 });
    expect(busy.ok).toBe(false);
    expect(busy).toHaveProperty('retryAfterMs');
    expect(await nonces.acceptNonceCount(nonce, 2, 60_000)).toBe(false);
    expect(await nonces.acceptNonceCount(nonce, 3, 60_000)).toBe(true);
  });

  it('save and end record the count an in-session request was verified with, lock or not; the highest wins', async () => {
    const { sessions, nonces } = fixture();
    const nonce = randomBytes(8).toString('hex');
    const a = sessionState();
    await sessions.open(a, { nonce, nc: 1, ttlMs: 60_000 });
    expect(await sessions.save(a, undefined, { nonce, nc: 3, ttlMs: 60_000 })).toBe(true);
    // a lower count (a resent header) changes nothing
    expect(await sessions.save(a, undefined, { nonce, nc: 2, ttlMs: 60_000 })).toBe(true);
    expect(await nonces.acceptNonceCount(nonce, 3, 60_000)).toBe(false);
    await sessions.end({ ...a, phase: 'ended' }, undefined, { nonce, nc: 5, ttlMs: 60_000 });
    expect(await nonces.acceptNonceCount(nonce, 5, 60_000)).toBe(false);
    // a session that lost its lock still records what its request was verified with
    expect(await sessions.save(a, undefined, { nonce, nc: 7, ttlMs: 60_000 })).toBe(false);
    expect(await nonces.acceptNonceCount(nonce, 7, 60_000)).toBe(false);
    expect(await nonces.acceptNonceCount(nonce, 8, 60_000)).toBe(true);
  });

  it('loads a state as stored, and nothing for an unknown or malformed id', async () => {
    const { sessions } = fixture();
    const a = sessionState({ queue: ['t1', 't2'], reconcile: { step: 2 }, identity: { username: 'u' }, inflight: undefined });
    await sessions.open(a);
    expect(await sessions.load(a.id)).toEqual(JSON.parse(JSON.stringify(a)));
    expect(await sessions.load(randomBytes(16).toString('hex'))).toBeNull();
    expect(await sessions.load('not-a-session-id')).toBeNull();
    expect(await sessions.load(`${a.id}0`)).toBeNull();
  });

  it('saves and extends the session while it holds the lock', async () => {
    const { sessions, advance } = fixture();
    const a = sessionState();
    await sessions.open(a);
    await advance(SESSION_TTL_MS - 1000);
    expect(await sessions.save({ ...a, phase: 'acs', rpcCount: 1 })).toBe(true);
    await advance(SESSION_TTL_MS - 1000);
    expect(await sessions.load(a.id)).toMatchObject({ phase: 'acs', rpcCount: 1 });
    expect((await sessions.open(sessionState({ deviceId: a.deviceId }))).ok).toBe(false);
  });

  it('forgets a session silent past the timeout: its device opens anew and the old one can no longer write', async () => {
    const { sessions, advance } = fixture();
    const a = sessionState();
    await sessions.open(a);
    await advance(SESSION_TTL_MS + 1000);
    expect(await sessions.load(a.id)).toBeNull();
    const b = sessionState({ deviceId: a.deviceId });
    expect(await sessions.open(b)).toEqual({ ok: true });
    expect(await sessions.save({ ...a, rpcCount: 5 })).toBe(false);
    expect(await sessions.load(a.id)).toBeNull();
    expect(await sessions.reopen(a)).toBe(false);
  });

  it('ends a session: the lock is free at once, the ended state readable for one more timeout', async () => {
    const { sessions, advance } = fixture();
    const a = sessionState();
    await sessions.open(a);
    await sessions.end({ ...a, phase: 'ended' });
    expect(await sessions.load(a.id)).toMatchObject({ phase: 'ended' });
    const b = sessionState({ deviceId: a.deviceId });
    expect(await sessions.open(b)).toEqual({ ok: true });
    await sessions.end({ ...a, phase: 'ended' });
    expect((await sessions.open(sessionState({ deviceId: a.deviceId }))).ok).toBe(false);
    await advance(SESSION_TTL_MS + 1000);
    expect(await sessions.load(a.id)).toBeNull();
  });

  it('reopens an ended session for requests the device held back, unless another session took the device', async () => {
    const { sessions } = fixture();
    const a = sessionState();
    await sessions.open(a);
    await sessions.end({ ...a, phase: 'ended' });
    expect(await sessions.reopen({ ...a, phase: 'cpe' })).toBe(true);
    expect(await sessions.reopen({ ...a, phase: 'cpe' })).toBe(true);
    expect(await sessions.load(a.id)).toMatchObject({ phase: 'cpe' });
    expect((await sessions.open(sessionState({ deviceId: a.deviceId }))).ok).toBe(false);
    await sessions.end({ ...a, phase: 'ended' });
    await sessions.open(sessionState({ deviceId: a.deviceId }));
    expect(await sessions.reopen({ ...a, phase: 'cpe' })).toBe(false);
  });

  it('records in-flight tasks for the sweeper, due one timeout after their session last stored them', async () => {
    const { sessions, advance, now } = fixture();
    const a = sessionState();
    await sessions.open(a);
    expect(await sessions.save({ ...a, inflight: inflight('task-a') })).toBe(true);
    expect(await sessions.overdueInflight(now(), 10)).toEqual([]);
    await advance(SESSION_TTL_MS + 1000);
    expect(await sessions.overdueInflight(now(), 10)).toEqual([{ taskId: 'task-a', sessionId: a.id, member: `task-a ${a.id}` }]);
    await sessions.forgetInflight(`task-a ${a.id}`);
    expect(await sessions.overdueInflight(now(), 10)).toEqual([]);
  });

  it('moves the record with the task in flight, drops it at the end, and lists the oldest first up to the limit', async () => {
    const { sessions, advance, now } = fixture();
    const a = sessionState();
    const b = sessionState();
    await sessions.open(a);
    await sessions.open(b);
    await sessions.save({ ...a, inflight: inflight('a1') });
    await sessions.save({ ...a, inflight: inflight('a2') }, 'a1');
    await advance(1000);
    await sessions.save({ ...b, inflight: inflight('b1') });
    await advance(SESSION_TTL_MS + 1000);
    expect((await sessions.overdueInflight(now(), 10)).map((r) => r.taskId)).toEqual(['a2', 'b1']);
    expect((await sessions.overdueInflight(now(), 1)).map((r) => r.taskId)).toEqual(['a2']);
    const c = sessionState();
    await sessions.open(c);
    await sessions.save({ ...c, inflight: inflight('c1') });
    await sessions.end({ ...c, phase: 'ended' }, 'c1');
    await advance(SESSION_TTL_MS + 1000);
    expect((await sessions.overdueInflight(now(), 10)).map((r) => r.taskId)).toEqual(['a2', 'b1']);
  });

  it('peek gives the state this process last stored, until the session ends or its timeout passes', async () => {
    const { sessions, advance } = fixture();
    const a = sessionState();
    expect(sessions.peek(a.id)).toBeUndefined();
    await sessions.open(a);
    expect(sessions.peek(a.id)).toEqual(JSON.parse(JSON.stringify(a)));
    await sessions.save({ ...a, phase: 'acs', rpcCount: 1 });
    expect(sessions.peek(a.id)).toMatchObject({ phase: 'acs', rpcCount: 1 });
    await sessions.end({ ...a, phase: 'ended' });
    expect(sessions.peek(a.id)).toBeUndefined();
    const b = sessionState();
    await sessions.open(b);
    await advance(SESSION_TTL_MS + 1000);
    expect(sessions.peek(b.id)).toBeUndefined();
  });

  it('endUnchanged ends the session as end does, with its nonce count, while the store holds the state peek gave', async () => {
    const { sessions, nonces, replica } = fixture();
    const nonce = randomBytes(8).toString('hex');
    const a = sessionState();
    await sessions.open(a);
    expect(await sessions.endUnchanged({ ...sessions.peek(a.id)!, phase: 'ended' }, { nonce, nc: 4, ttlMs: 60_000 })).toBe(true);
    expect(await sessions.load(a.id)).toMatchObject({ phase: 'ended' });
    expect(sessions.peek(a.id)).toBeUndefined();
    expect(await nonces.acceptNonceCount(nonce, 4, 60_000)).toBe(false);
    expect(await sessions.open(sessionState({ deviceId: a.deviceId }))).toEqual({ ok: true });
    // a state this process never stored is no proof of anything
    const b = sessionState();
    await replica().open(b);
    expect(await sessions.endUnchanged({ ...b, phase: 'ended' })).toBe(false);
    expect(await sessions.load(b.id)).toMatchObject({ phase: 'cpe' });
  });

  it('endUnchanged changes nothing, not even the nonce count, once another replica stored a newer state', async () => {
    const { sessions, nonces, replica } = fixture();
    const nonce = randomBytes(8).toString('hex');
    const a = sessionState();
    await sessions.open(a);
    const other = replica();
    const seen = (await other.load(a.id))!;
    expect(await other.save({ ...seen, phase: 'acs', rpcCount: 1 })).toBe(true);
    const stale = sessions.peek(a.id)!;
    expect(stale).toMatchObject({ phase: 'cpe', rpcCount: 0 });
    expect(await sessions.endUnchanged({ ...stale, phase: 'ended' }, { nonce, nc: 9, ttlMs: 60_000 })).toBe(false);
    expect(await sessions.load(a.id)).toMatchObject({ phase: 'acs', rpcCount: 1 });
    expect((await sessions.open(sessionState({ deviceId: a.deviceId }))).ok).toBe(false);
    expect(await nonces.acceptNonceCount(nonce, 9, 60_000)).toBe(true);
    expect(sessions.peek(a.id)).toBeUndefined();
  });
}
