import type { DeviceUpdate, Learned } from '../../devices/learn';
import type { MacSource } from '../../devices/mac-directory';
import type { DeviceSessionView } from '../../devices/repository';
import type { DeviceDoc } from '../../devices/types';
import type { FinalOutcome, Outcome } from '../../tasks/outcome';
import type { TaskDoc } from '../../tasks/types';
import type { AuthRequest, AuthVerdict, NonceCount } from '../auth/device-auth';
import type { CwmpMessage, Envelope, Inform } from '../soap/types';
import type { SessionEnd } from '../trace/types';
import type { InflightRpc, SessionState } from './state';

/**
 * What the CWMP session engine (and its sweeper) needs from the rest of the ACS, method by
 * method: the engine depends on these, the MongoDB and Redis classes satisfy them (the
 * composition root in roles/cwmp.ts proves it), and the unit tests run the engine against
 * in-memory versions (test/support/memory) that the conformance suite holds to the same
 * contract as the real stores.
 */

/** The devices a session reads once at Inform and updates with what it learns. */
export interface SessionDevices {
  /** the session's one read: queue, credential, Inform memory, plus `extraFields` */
  sessionView(id: string, extraFields?: readonly string[]): Promise<(DeviceSessionView & Partial<DeviceDoc>) | null>;
  get(id: string, projection?: Record<string, 0 | 1>): Promise<DeviceDoc | null>;
  /** an Inform's update, creating the device (with `setOnInsert`) at its first contact */
  applyInform(id: string, update: DeviceUpdate, setOnInsert: Record<string, unknown>): Promise<void>;
  /** an update of an existing device; `finishedTasks` leave its queue */
  apply(id: string, update: DeviceUpdate, finishedTasks?: string[]): Promise<void>;
  /** what a response taught about the parameter tree (a GetParameterNames listing included) */
  learn(id: string, learned: Learned, now: Date): Promise<void>;
  dequeueTasks(id: string, taskIds: string[]): Promise<void>;
}

/**
 * The tasks a session sends. Every transition is a compare-and-set, false (or null) when the
 * task was not in the state it requires.
 */
export interface SessionTasks {
  get(id: string): Promise<TaskDoc | null>;
  /** pending and not expired -> sent to this session, without a read first; null in any other state */
  claimPending(id: string, sessionId: string, now: Date): Promise<TaskDoc | null>;
  /** pending (or left `sent` by a dead session, same status and attempts as `task`) -> sent to this session */
  claim(task: TaskDoc, sessionId: string, now: Date): Promise<TaskDoc | null>;
  /** sent to this session -> the outcome (awaiting: still sent, waiting for TransferComplete) */
  settle(id: string, sessionId: string, outcome: Outcome, now: Date): Promise<boolean>;
  /** awaiting TransferComplete -> final */
  completeTransfer(id: string, outcome: FinalOutcome, now: Date): Promise<boolean>;
  /** unchanged since `task` was read -> expired */
  expire(task: TaskDoc, now: Date): Promise<boolean>;
  /** sent to this session and not awaiting -> pending (`unsent`: the claim is given back before sending, its attempt with it) */
  release(id: string, sessionId: string, now: Date, options?: { unsent?: boolean }): Promise<boolean>;
  /** awaiting TransferComplete -> fault `transfer_lost` */
  abandonTransfer(id: string, reason: string, now: Date): Promise<boolean>;
}

/** `replayed`: the nonce count given to open was already seen; nothing was taken or stored. */
export type OpenResult = { ok: true } | { ok: false; retryAfterMs: number } | { ok: false; replayed: true };

/**
 * Session state under its id, with the device's lock, both expiring one session timeout after
 * they were last stored, and the sweeper's record of in-flight tasks.
 */
export interface SessionStates {
  /** how long a state and its lock live after being stored */
  readonly ttlMs: number;
  load(id: string): Promise<SessionState | null>;
  /**
   * takes the device's lock and stores the state; otherwise how long the lock still holds.
   * `nonceCount` is recorded first, in the same step: a replayed one opens nothing.
   */
  open(state: SessionState, nonceCount?: NonceCount): Promise<OpenResult>;
  /**
   * stores the state and extends the lock; false when the session no longer holds it.
   * `nonceCount`, one an in-session request was verified with, is recorded in the same step
   * (the highest count wins), lock or not.
   */
  save(state: SessionState, previousInflightTask?: string, nonceCount?: NonceCount): Promise<boolean>;
  /** releases the lock; the ended state stays readable for one more timeout; `nonceCount` as in save */
  end(state: SessionState, previousInflightTask?: string, nonceCount?: NonceCount): Promise<void>;
  /** re-takes the lock of an ended session, unless another session took it */
  reopen(state: SessionState): Promise<boolean>;
  /**
   * The state this process last stored for the session (open, save, reopen), unconfirmed:
   * another process may have stored a newer one since. Undefined when it stored none that
   * may still hold, or ended the session.
   */
  peek(id: string): SessionState | undefined;
  /**
   * Ends the session as `end` does (no in-flight task), provided the store still holds the
   * state `peek` gave; false, with nothing changed, when it holds another or none.
   */
  endUnchanged(state: SessionState, nonceCount?: NonceCount): Promise<boolean>;
}

/** What the in-flight sweeper reads and clears besides the states. */
export interface InflightRecord {
  load(id: string): Promise<SessionState | null>;
  /** in-flight tasks whose session was last stored a timeout or more before `now` */
  overdueInflight(now: number, limit: number): Promise<Array<{ taskId: string; sessionId: string; member: string }>>;
  forgetInflight(member: string): Promise<void>;
}

/** Digest nonce counts and failed-login counters (DeviceAuthenticator's state). */
export interface AuthState {
  /** true when `nc` is higher than any count seen with this nonce */
  acceptNonceCount(nonce: string, nc: number, ttlMs: number): Promise<boolean>;
  failures(source: string): Promise<number>;
  /** counts a failure in a window starting at the first one; returns the count */
  countFailure(source: string, windowSeconds: number): Promise<number>;
}

/** Who may open a session (DeviceAuthenticator). */
export interface SessionAuthenticator {
  readonly required: boolean;
  challenge(stale?: boolean): string[];
  blocked(source: string): Promise<boolean>;
  verify(req: AuthRequest, own: DeviceDoc['credentials'], options?: { deferNonceCount?: boolean }): Promise<AuthVerdict>;
  /** records a nonce count verify deferred; false when it was a replay */
  recordNonceCount(count: NonceCount): Promise<boolean>;
  /** the 401 verdict for a replayed nonce count */
  replayed(): Extract<AuthVerdict, { ok: false }>;
}

/** MAC -> device, for the phones' own provisioning channel. */
export interface SessionMacs {
  /** records the device's MAC (on the device too); false when the device does not exist */
  assign(deviceId: string, mac: string, source: MacSource): Promise<boolean>;
}

/** The console's device search index. */
export interface SessionSearch {
  /** recomputes the device's keys from what is stored about it */
  refresh(deviceId: string): Promise<void>;
}

/** The operator's trace of each session (SessionTraceRecorder). */
export interface SessionTraceSink {
  begin(state: SessionState, env: Envelope<Inform>, view: object | null): void;
  deviceFields(state: SessionState): Record<string, unknown>;
  answered(state: SessionState, inflight: InflightRpc, outcome: Outcome | 'unanswered', response?: Envelope): void;
  cpeRequest(state: SessionState, env: Envelope<CwmpMessage>): void;
  end(state: SessionState, how: SessionEnd, why?: string): void;
  refused(inform: Inform, deviceId: string, source: string, reason: string): void;
}
