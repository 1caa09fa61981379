import type { Logger } from '../../log';
import type { Outcome } from '../../tasks/outcome';
import { encodeEnvelope } from '../soap';
import type { CwmpMessage, Envelope, Inform } from '../soap/types';
import type { InflightRpc, SessionState } from '../session/state';
import type { SessionStates } from '../session/ports';
import { redactMessage } from './redact';
import type { DeviceTraceFields, SessionTraceStore } from './store';
import type { SessionEnd, SessionTrace, SessionTraceDoc, TracedRpc } from './types';

/** Characters of SOAP bodies one traced session keeps at most, whatever each body's limit. */
const SESSION_BODY_BUDGET = 4 * 1024 * 1024;
/** Bounds on what the device chose: event codes kept, their length, fault strings. */
const MAX_EVENTS = 64;
const MAX_EVENT_CHARS = 64;
const MAX_FAULT_CHARS = 256;

export interface TraceRecorderDeps {
  store: Pick<SessionTraceStore, 'config' | 'slotId' | 'record' | 'get'>;
  sessions: Pick<SessionStates, 'load' | 'ttlMs'>;
  log: Logger;
}

/**
 * Follows each CWMP session for the operator: what the device reported, every ACS request with
 * its outcome, the device's own requests, and SOAP bodies (secrets redacted) while tracing is
 * on for the device. The record travels in the session's state, so any replica can add to it;
 * when the session ends it becomes one info log line and one document of `session_traces`.
 *
 * A session that just goes silent has no last request to end it: each process watches the
 * sessions it served and, once their state has expired from Redis, records them as timed out.
 */
export class SessionTraceRecorder {
  /** device fields the session's one read must fetch */
  static readonly VIEW_FIELDS: readonly string[] = ['traceSeq', 'traceBodiesUntil'];
  private readonly watched = new Map<string, { state: SessionState; timer: NodeJS.Timeout }>();

  constructor(private readonly d: TraceRecorderDeps) {}

  /** Starts the trace of a session opened by this Inform; call before the state is first stored. */
  begin(state: SessionState, env: Envelope<Inform>, view: object | null, now = new Date()): void {
    const device = (view ?? {}) as DeviceTraceFields;
    const bodies = device.traceBodiesUntil instanceof Date && device.traceBodiesUntil > now;
    const trace: SessionTrace = {
      seq: (typeof device.traceSeq === 'number' ? device.traceSeq : 0) + 1,
      events: env.body.event.slice(0, MAX_EVENTS).map((e) => e.eventCode.slice(0, MAX_EVENT_CHARS)),
      bodies,
      bodyChars: 0,
      rpcs: [],
      cpeRequests: [],
    };
    trace.inform = this.body(trace, env.namespace, env.header.id, env.body);
    state.trace = trace;
  }

  /** What the Inform's write of the device must also set: the session number just used. */
  deviceFields(state: SessionState): Record<string, unknown> {
    return this.d.store.config.sessionsPerDevice && state.trace ? { traceSeq: state.trace.seq } : {};
  }

  /** The device answered (or, with `unanswered`, abandoned) the request in flight. */
  answered(state: SessionState, inflight: InflightRpc, outcome: Outcome | 'unanswered', response?: Envelope): void {
    const trace = state.trace;
    if (!trace) return;
    const rpc: TracedRpc = {
      method: inflight.rpc.method,
      rpcId: inflight.rpcId,
      ...(inflight.taskId ? { taskId: inflight.taskId } : {}),
      at: Date.now() - state.startedAt,
      outcome: outcome === 'unanswered' ? 'unanswered' : outcome.status,
    };
    if (outcome !== 'unanswered' && outcome.status === 'fault') rpc.fault = { code: outcome.fault.code, message: outcome.fault.message.slice(0, MAX_FAULT_CHARS) };
    if (trace.bodies) {
      rpc.request = this.body(trace, state.namespace, inflight.rpcId, inflight.rpc);
      if (response) rpc.response = this.body(trace, response.namespace, response.header.id, response.body);
    }
    trace.rpcs.push(rpc);
  }

  /** The device sent a request of its own. */
  cpeRequest(state: SessionState, env: Envelope): void {
    const trace = state.trace;
    if (!trace) return;
    trace.cpeRequests.push({ method: env.body.method, at: Date.now() - state.startedAt, ...(trace.bodies ? { body: this.body(trace, env.namespace, env.header.id, env.body) } : {}) });
  }

  /** The session is over: one log line, and the trace kept among the device's last sessions. */
  end(state: SessionState, how: SessionEnd, why?: string, now = new Date()): void {
    const reason = why?.slice(0, MAX_FAULT_CHARS);
    const watched = this.watched.get(state.id);
    if (watched) clearTimeout(watched.timer);
    this.watched.delete(state.id);
    const trace = state.trace;
    if (!trace) return;
    state.trace = undefined;
    const rpcs = how === 'timed_out' && state.inflight ? [...trace.rpcs, unanswered(state.inflight, now.getTime() - state.startedAt)] : trace.rpcs;
    const faults = rpcs.filter((r) => r.outcome === 'fault').length;
    const durationMs = now.getTime() - state.startedAt;
    this.d.log.info(
      {
        event: 'cwmp.session',
        deviceId: state.deviceId,
        session: trace.seq,
        source: state.remoteAddress,
        events: trace.events,
        rpcs: rpcs.map((r) => ({ method: r.method, outcome: r.outcome, ...(r.fault ? { fault: r.fault.code } : {}) })),
        cpeRequests: trace.cpeRequests.map((r) => r.method),
        faults,
        durationMs,
        outcome: how,
        ...(reason ? { reason } : {}),
      },
      'CWMP session ended',
    );
    const { sessionsPerDevice, retentionDays } = this.d.store.config;
    if (!sessionsPerDevice) return;
    const doc: SessionTraceDoc = {
      _id: this.d.store.slotId(state.deviceId, trace.seq),
      deviceId: state.deviceId,
      seq: trace.seq,
      source: state.remoteAddress,
      cwmpVersion: state.cwmpVersion,
      ...(state.softwareVersion !== undefined ? { softwareVersion: state.softwareVersion } : {}),
      startedAt: new Date(state.startedAt),
      endedAt: now,
      durationMs,
      outcome: how,
      ...(reason ? { reason } : {}),
      events: trace.events,
      rpcs,
      cpeRequests: trace.cpeRequests,
      faults,
      bodies: trace.bodies,
      ...(trace.inform !== undefined ? { inform: trace.inform } : {}),
      expiresAt: new Date(now.getTime() + retentionDays * 86_400_000),
    };
    this.d.store.record(doc);
  }

  /**
   * A session refused before it opened (failed login, unknown device, device busy): a log line
   * only. The device id is what an unauthenticated client claimed, so nothing is stored for it.
   */
  refused(inform: Inform, deviceId: string, source: string, reason: string): void {
    this.d.log.info(
      { event: 'cwmp.session', deviceId, source, events: inform.event.slice(0, MAX_EVENTS).map((e) => e.eventCode.slice(0, MAX_EVENT_CHARS)), rpcs: [], faults: 0, durationMs: 0, outcome: 'refused', reason },
      'CWMP session refused',
    );
  }

  /** Stops watching; sessions still open are neither timed out nor recorded. */
  close(): void {
    for (const { timer } of this.watched.values()) clearTimeout(timer);
    this.watched.clear();
  }

  private body(trace: SessionTrace, namespace: Envelope['namespace'], id: string | undefined, msg: CwmpMessage): string | undefined {
    if (!trace.bodies) return undefined;
    if (trace.bodyChars >= SESSION_BODY_BUDGET) return '[not kept: the session trace holds enough bodies already]';
    const max = this.d.store.config.maxBodyChars;
    const text = encodeEnvelope({ namespace, header: id === undefined ? {} : { id }, body: redactMessage(msg) });
    const kept = text.length > max ? `${text.slice(0, max)}[... ${text.length - max} more characters not kept]` : text;
    trace.bodyChars += kept.length;
    return kept;
  }

  /**
   * (Re)arms the watch on a session this process just stored, one session timeout past now
   * (WatchedSessionStore calls it on every store of a state).
   */
  watch(state: SessionState): void {
    if (!state.trace) return;
    const known = this.watched.get(state.id);
    if (known) {
      known.state = state;
      known.timer.refresh();
      return;
    }
    const timer = setTimeout(() => void this.expired(state.id), this.d.sessions.ttlMs + 1000);
    timer.unref();
    this.watched.set(state.id, { state, timer });
  }

  /**
   * The watch fired: still in Redis, another request kept it alive; gone and not recorded by
   * another replica, it timed out.
   */
  private async expired(id: string): Promise<void> {
    const known = this.watched.get(id);
    if (!known) return;
    try {
      const current = await this.d.sessions.load(id);
      if (current?.phase === 'ended') {
        this.watched.delete(id);
      } else if (current) {
        known.state = current;
        known.timer.refresh();
      } else if (known.state.trace && (await this.d.store.get(known.state.deviceId, known.state.trace.seq))) {
        // Another replica served its last requests and recorded how it ended.
        this.watched.delete(id);
      } else {
        this.end(known.state, 'timed_out', 'the device went silent past the session timeout');
      }
    } catch (err) {
      this.d.log.warn({ event: 'cwmp.trace_watch_failed', err: (err as Error).message }, 'could not check a silent session');
      known.timer.refresh();
    }
  }
}

function unanswered(inflight: InflightRpc, at: number): TracedRpc {
  return { method: inflight.rpc.method, rpcId: inflight.rpcId, ...(inflight.taskId ? { taskId: inflight.taskId } : {}), at, outcome: 'unanswered' };
}
