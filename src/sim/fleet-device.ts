import type { Dispatcher } from 'undici';
import { deviceKey } from '../devices/id';
import type { ParamValue } from '../cwmp/soap/types';
import type { ConnectionRequestTarget } from './connection-request';
import { UNKNOWN_TIME, type DataModel } from './datamodel';
import { PARAM, type Device, type ScheduledInform, type SessionEffects, type Transfer } from './device';
import { EVENT } from './events';
import { ClientAuth } from './http/client-auth';
import type { ConnectionPool } from './http/connection-pool';
import { SessionTransport } from './http/transport';
import type { Limiter } from './limiter';
import type { SessionOutcome } from './outcome';
import type { DeviceProfile } from './profile';
import { retryDelayMs } from './retry';
import { runSession } from './session';
import { performTransfer, type TransferHooks } from './transfer';

/** What every device of a fleet shares. */
export interface FleetContext {
  readonly limiter: Limiter;
  /** keep-alive connections for sessions */
  readonly connections: ConnectionPool;
  /** HTTP client for file transfers */
  readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal;
  readonly stopped: boolean;
  /** run periodic informs */
  readonly periodic: boolean;
  /** retry failed sessions with the TR-069 back-off */
  readonly retry: boolean;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxDownloadBytes: number;
  readonly maxAcsRequests: number;
  readonly sessionTimeout: number;
  readonly hooks: TransferHooks;
  /** every session outcome, for statistics and listeners */
  sessionDone(device: FleetDevice, outcome: SessionOutcome): void;
  httpStatus(code: number): void;
}

/** Node timers hold at most 2^31-1 ms; longer delays (TR-069 allows intervals of 2^32-1 s) hop. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Pending {
  timer?: NodeJS.Timeout;
}

interface Waiter {
  accept: (o: SessionOutcome) => boolean;
  resolve: (o: SessionOutcome) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One simulated phone in a fleet: the CPE logic (`cpe`) plus what happens over time —
 * sessions one at a time, retries, periodic informs, transfers, connection requests.
 */
export class FleetDevice implements ConnectionRequestTarget {
  readonly cpe: Device;
  readonly auth: ClientAuth;
  private wanted = false;
  private running: Promise<void> | undefined;
  private callers: Array<(o: SessionOutcome) => void> = [];
  private waiters: Waiter[] | undefined;
  private timers: Set<Pending> | undefined;
  private retryTimer: Pending | undefined;
  private periodicTimer: Pending | undefined;
  private periodicBasis = '';
  private startedTransfers: WeakSet<Transfer> | undefined;
  private armedInforms: WeakSet<ScheduledInform> | undefined;
  private idSeq = 0;

  constructor(
    readonly index: number,
    cpe: Device,
    readonly profile: DeviceProfile,
    private readonly ctx: FleetContext,
  ) {
    this.cpe = cpe;
    this.auth = new ClientAuth(profile.auth);
  }

  get model(): DataModel {
    return this.cpe.model;
  }

  get serialNumber(): string {
    return this.cpe.model.factory.serialNumber;
  }

  /** The `OUI-ProductClass-SerialNumber` id the ACS files this device under. */
  get deviceId(): string {
    return deviceKey(this.cpe.model.factory);
  }

  get connectionRequestUrl(): string {
    return String(this.model.get(PARAM.CR_URL));
  }

  /**
   * Runs a session now (after the one in progress, if any) and resolves with its outcome.
   * With nothing else to report the Inform carries 2 PERIODIC. Cancels a pending retry.
   */
  runSession(): Promise<SessionOutcome> {
    if (this.ctx.stopped) return Promise.reject(new Error('the fleet is stopped'));
    this.clearRetry();
    return new Promise((resolve) => {
      this.callers.push(resolve);
      this.want();
    });
  }

  /** The next session that ends and satisfies `accept` (default: any), within `timeoutMs`. */
  nextSession(accept: (o: SessionOutcome) => boolean = () => true, timeoutMs = 60_000): Promise<SessionOutcome> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        accept,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters?.filter((w) => w !== waiter);
          reject(new Error(`device ${this.index}: no matching session within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      (this.waiters ??= []).push(waiter);
    });
  }

  /** A change made on the phone itself; active notification starts a session. */
  setLocal(name: string, value: ParamValue): void {
    if (this.cpe.setLocal(name, value) === 'active') this.want();
  }

  connectionRequestCredentials(): { username: string; password: string } {
    return { username: String(this.model.get(PARAM.CR_USERNAME)), password: String(this.model.get(PARAM.CR_PASSWORD)) };
  }

  /** Several requests before the session starts collapse into one 6 CONNECTION REQUEST. */
  connectionRequest(): void {
    if (this.ctx.stopped) return;
    this.cpe.events.add(EVENT.CONNECTION_REQUEST);
    this.clearRetry();
    this.want();
  }

  /** Starts the device's clock: the first periodic inform, and a boot session if asked. */
  start(boot: boolean, spread: number): void {
    this.armPeriodic(spread);
    if (boot) this.want();
  }

  /** Cancels timers and waiters; sessions in flight are the fleet's to abort. */
  stop(): void {
    for (const p of this.timers ?? []) clearTimeout(p.timer);
    this.timers = undefined;
    this.retryTimer = undefined;
    this.periodicTimer = undefined;
    for (const w of this.waiters ?? []) {
      clearTimeout(w.timer);
      w.reject(new Error(`device ${this.index}: the fleet stopped`));
    }
    this.waiters = undefined;
  }

  /** Resolves when the device has no session running or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  // ------------------------------------------------------------ sessions

  private want(): void {
    if (this.ctx.stopped) return;
    this.wanted = true;
    this.running ??= this.loop();
  }

  private async loop(): Promise<void> {
    while (this.wanted && !this.ctx.stopped) {
      this.wanted = false;
      const callers = this.callers;
      this.callers = [];
      const outcome = await this.ctx.limiter.run(() => this.session());
      for (const resolve of callers) resolve(outcome);
      this.ctx.sessionDone(this, outcome);
      for (const w of this.waiters ?? []) {
        if (!w.accept(outcome)) continue;
        clearTimeout(w.timer);
        w.resolve(outcome);
        this.waiters = this.waiters?.filter((x) => x !== w);
      }
    }
    this.running = undefined;
    if (this.callers.length > 0) {
      const aborted = abortedOutcome(this.cpe.retryCount);
      for (const resolve of this.callers.splice(0)) resolve(aborted);
    }
  }

  private async session(): Promise<SessionOutcome> {
    if (this.ctx.stopped) return abortedOutcome(this.cpe.retryCount);
    if (!this.cpe.hasPendingEvents()) this.cpe.events.add(EVENT.PERIODIC);
    const { quirks } = this.profile;
    const transport = new SessionTransport(String(this.model.get(PARAM.URL)), {
      pool: this.ctx.connections,
      auth: this.auth,
      credentials: () => ({ username: String(this.model.get(PARAM.USERNAME)), password: String(this.model.get(PARAM.PASSWORD)) }),
      userAgent: this.userAgent(),
      requestTimeoutMs: this.ctx.requestTimeoutMs,
      maxResponseBytes: this.ctx.maxResponseBytes,
      cookies: !quirks.noCookies,
      connectionPerRequest: quirks.connectionPerRequest,
      signal: this.ctx.signal,
      onResponse: (status) => this.ctx.httpStatus(status),
    });
    const { outcome, effects } = await runSession(this.cpe, transport, {
      cwmpVersion: this.profile.cwmpVersion,
      booleanLiteral: quirks.booleanDigits ? 'digit' : 'word',
      emptyId: quirks.emptyId,
      maxAcsRequests: this.ctx.maxAcsRequests,
      sessionTimeout: this.ctx.sessionTimeout,
      nextId: () => String(++this.idSeq),
    });
    this.afterSession(outcome, effects);
    return outcome;
  }

  private afterSession(outcome: SessionOutcome, effects: SessionEffects): void {
    if (this.ctx.stopped) return;
    if (effects.rebooted) this.want();
    else if (!outcome.ok && this.ctx.retry) this.armRetry(outcome.retryAfter);
    this.armTransfers();
    this.armScheduledInforms();
    if (this.periodicBasis !== this.periodicSettings()) this.armPeriodic(0);
  }

  // ------------------------------------------------------------ timers

  private armRetry(retryAfter: number | undefined): void {
    this.clearRetry();
    const m = Number(this.model.get(PARAM.RETRY_MIN_WAIT));
    const k = Number(this.model.get(PARAM.RETRY_MULTIPLIER));
    const delay = Math.max(retryDelayMs(this.cpe.retryCount, m, k), (retryAfter ?? 0) * 1000);
    this.retryTimer = this.later(delay, () => {
      this.retryTimer = undefined;
      this.want();
    });
  }

  private clearRetry(): void {
    this.cancel(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** A failed session's retry is scheduled. */
  get retryPending(): boolean {
    return this.retryTimer !== undefined;
  }

  private periodicSettings(): string {
    return [PARAM.PERIODIC_ENABLE, PARAM.PERIODIC_INTERVAL, PARAM.PERIODIC_TIME].map((p) => String(this.model.get(p))).join('|');
  }

  /**
   * Schedules the next 2 PERIODIC inform. Aligned to PeriodicInformTime when it is set,
   * else the first one falls at `spread` (0..1) of an interval, so a fleet does not inform
   * all at once.
   */
  private armPeriodic(spread: number): void {
    this.cancel(this.periodicTimer);
    this.periodicTimer = undefined;
    this.periodicBasis = this.periodicSettings();
    if (!this.ctx.periodic || this.model.get(PARAM.PERIODIC_ENABLE) !== true) return;
    const interval = Math.max(1, Number(this.model.get(PARAM.PERIODIC_INTERVAL))) * 1000;
    const anchor = String(this.model.get(PARAM.PERIODIC_TIME));
    const now = Date.now();
    let delay: number;
    if (anchor !== UNKNOWN_TIME && !Number.isNaN(Date.parse(anchor))) {
      delay = (((Date.parse(anchor) - now) % interval) + interval) % interval || interval;
    } else delay = spread > 0 ? Math.floor(interval * spread) : interval;
    this.periodicTimer = this.later(delay, () => {
      this.periodicTimer = undefined;
      this.cpe.events.add(EVENT.PERIODIC);
      this.want();
      this.armPeriodic(0);
    });
  }

  private armTransfers(): void {
    const started = (this.startedTransfers ??= new WeakSet());
    for (const t of this.cpe.queuedTransfers()) {
      if (started.has(t)) continue;
      started.add(t);
      this.later(t.notBefore - Date.now(), async () => {
        // A CancelTransfer may have removed it meanwhile.
        if (!this.cpe.queuedTransfers().includes(t)) return;
        await performTransfer(this.cpe, t, {
          dispatcher: this.ctx.dispatcher,
          maxBytes: this.ctx.maxDownloadBytes,
          timeoutMs: this.ctx.requestTimeoutMs,
          failDownloads: this.profile.failDownloads,
          hooks: this.ctx.hooks,
          userAgent: this.userAgent(),
          signal: this.ctx.signal,
        });
        this.want();
      });
    }
  }

  private armScheduledInforms(): void {
    const armed = (this.armedInforms ??= new WeakSet());
    for (const s of this.cpe.scheduledInforms()) {
      if (armed.has(s)) continue;
      armed.add(s);
      this.later(s.dueAt - Date.now(), () => {
        this.cpe.fireScheduledInform(s);
        this.want();
      });
    }
  }

  /** Runs `fn` after `ms`; stop() cancels every pending one. */
  private later(ms: number, fn: () => unknown): Pending {
    const timers = (this.timers ??= new Set());
    const pending: Pending = {};
    const arm = (left: number) => {
      pending.timer = setTimeout(
        () => {
          if (left > MAX_TIMER_MS) return arm(left - MAX_TIMER_MS);
          timers.delete(pending);
          void Promise.resolve()
            .then(fn)
            .catch(() => undefined);
        },
        Math.min(Math.max(0, left), MAX_TIMER_MS),
      );
    };
    arm(ms);
    timers.add(pending);
    return pending;
  }

  private cancel(pending: Pending | undefined): void {
    if (!pending) return;
    clearTimeout(pending.timer);
    this.timers?.delete(pending);
  }

  private userAgent(): string {
    const f = this.model.factory;
    const version = String(this.model.get(PARAM.SOFTWARE_VERSION)).replace(/^[^.]*\./, '');
    return `Cisco-${f.productClass}/${version} (${f.macAddress})`;
  }
}

function abortedOutcome(retryCount: number): SessionOutcome {
  const now = Date.now();
  return {
    ok: false,
    reason: 'aborted',
    detail: 'the fleet stopped before the session started',
    events: [],
    retryCount,
    acsRequests: [],
    transferCompletes: 0,
    httpRequests: 0,
    startedAt: now,
    durationMs: 0,
  };
}
