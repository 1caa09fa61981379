import { LINE_PARAMETER } from '../../devices/search-keys';
import type { SessionObserver } from './observer';
import { newSessionId } from '../../stores/redis-keys';
import type { Config } from '../../config';
import { matchCertificate, type CertificateNames } from '../../devices/certificate-identity';
import { deviceKey } from '../../devices/id';
import { macFromParameters, type MacSource } from '../../devices/mac-directory';
import { BOOTSTRAP, hasEvent, learnFromInform, learnFromResponse, type Learned } from '../../devices/learn';
import { deviceIdProblem, eventsProblem } from '../../devices/limits';
import type { DeviceSessionView } from '../../devices/repository';
import type { Logger } from '../../log';
import { metrics } from '../../metrics';
import { decide, requestFor } from '../../tasks/decide';
import { outcomeOfFault, outcomeOfResponse, outcomeOfTransfer, type Outcome } from '../../tasks/outcome';
import type { AuthVerdict, NonceCount } from '../auth/device-auth';
import { acsFault, CwmpDecodeError, decodeEnvelope, encodeEnvelope, versionOf } from '../soap';
import type { CpeRequest, CpeResponse, CwmpMessage, CwmpNamespace, Envelope, EnvelopeHeader, Fault, Inform, TransferComplete } from '../soap/types';
import type { TaskDoc } from '../../tasks/types';
import { bindingMismatch } from './binding';
import { boundFaultStrings, parameterCount } from './bounds';
import { SessionTraceRecorder } from '../trace';
import { NO_RECONCILER, type ReconcileContext, type Reconciler } from './reconciler';
import type { SessionState } from './state';
import type { SessionAuthenticator, SessionDevices, SessionMacs, SessionSearch, SessionStates, SessionTasks, SessionTraceSink } from './ports';

/** One HTTP request of a CWMP session, already read and decoded to text by the transport. */
export interface CwmpRequest {
  body: string;
  /** from the session cookie */
  sessionId?: string;
  /** the session earlier requests on the same connection opened, for CPEs without cookies */
  connectionSessionId?: string;
  authorization?: string;
  /** request-target (path and query), which Digest covers */
  uri: string;
  /** the client's address, resolved through the trusted proxies */
  source: string;
  /**
   * A TLS client certificate that verified against the configured CAs. One naming exactly the
   * device (devices/certificate-identity) authenticates it.
   */
  clientCertificate?: { names: CertificateNames; fingerprint: string };
}

export interface CwmpReply {
  status: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string | string[]>;
  /** session id to set as cookie */
  setSession?: string;
  close?: boolean;
}

/** Methods the ACS itself implements, for a device's GetRPCMethods. */
export const ACS_METHODS = ['Inform', 'GetRPCMethods', 'TransferComplete', 'AutonomousTransferComplete', 'RequestDownload', 'Kicked'];

const CPE_REQUESTS = new Set<string>(['TransferComplete', 'AutonomousTransferComplete', 'GetRPCMethods', 'RequestDownload', 'Kicked']);
const SUPPORTED_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4'];
const XML = 'text/xml; charset="utf-8"';

export interface EngineDeps {
  config: Config['cwmp'];
  devices: SessionDevices;
  tasks: SessionTasks;
  sessions: SessionStates;
  auth: SessionAuthenticator;
  log: Logger;
  /** brings devices to their desired state after the operator's tasks */
  reconciler?: Reconciler;
  /** MAC -> device, for the phones' own provisioning channel */
  macs: SessionMacs;
  /** the operator's trace of each session (log line, last sessions per device) */
  trace: SessionTraceSink;
  /** told of sessions, finished tasks and learned values (the console's live feed) */
  observer?: SessionObserver;
  /** the console's device search index, refreshed when a session learns what it indexes */
  search?: SessionSearch;
}

/**
 * The CWMP session state machine. Transport-agnostic: it takes one decoded HTTP request and
 * returns the reply; everything it remembers between requests lives in Redis (session state,
 * lock) and MongoDB (devices, tasks).
 */
export class SessionEngine {
  private readonly reconciler: Reconciler;
  private readonly viewFields: readonly string[];
  /** per request's loaded state: the Digest nonce count it was verified with, not recorded yet */
  private readonly unrecorded = new WeakMap<SessionState, NonceCount>();

  constructor(private readonly d: EngineDeps) {
    this.reconciler = d.reconciler ?? NO_RECONCILER;
    this.viewFields = [...this.reconciler.viewFields, ...SessionTraceRecorder.VIEW_FIELDS];
  }

  async handle(req: CwmpRequest): Promise<CwmpReply> {
    // The session this request speaks in: a request that fails unexpectedly ends it, so the
    // device's next Inform is served instead of refused until the session times out.
    let session: SessionState | null = null;
    let loaded: SessionState | null = null;
    let namespace: CwmpNamespace | undefined;
    try {
      const empty = req.body.trim() === '';
      const idle = empty ? this.idleState(req) : undefined;
      if (idle) {
        loaded = idle;
        // What binds a request to its session never changes in a session: a refusal holds whatever the store has now.
        const refused = await this.checkBinding(idle, req);
        session = refused ? null : idle;
        const reply = refused ?? (await this.endIdle(idle));
        if (reply) {
          metrics.cwmpRequests.inc({ kind: 'empty' });
          return reply;
        }
        session = null;
      }
      const cookieState = req.sessionId ? await this.d.sessions.load(req.sessionId) : null;
      // A cookie, even a stale one, names the session; the connection only speaks for CPEs that
      // send no cookie at all.
      const state = req.sessionId ? cookieState : req.connectionSessionId ? await this.d.sessions.load(req.connectionSessionId) : null;
      loaded = state;
      // A request that does not belong to its session (checkBinding) must not end it on error.
      const bound = async () => {
        const refused = state && (await this.checkBinding(state, req));
        if (!refused) session = state;
        return refused;
      };
      if (empty) {
        metrics.cwmpRequests.inc({ kind: 'empty' });
        return (await bound()) || (await this.onEmpty(state, req));
      }
      if (!cookieState && (await this.d.auth.blocked(req.source))) return this.tooManyFailures(req);
      // Nothing but an Inform may open a session, and an Inform without credentials only earns a
      // challenge: no need to parse what an unauthenticated client sent.
      if (!state && this.d.auth.required && !req.authorization && !req.clientCertificate) return this.challenge();
      let env: Envelope;
      try {
        env = decodeEnvelope(req.body, { maxDepth: this.d.config.maxDepth });
      } catch (err) {
        if (err instanceof CwmpDecodeError) return this.undecodable(err, state, req);
        throw err;
      }
      namespace = env.namespace;
      env = this.boundFaultStrings(env, state, req);
      const msg = env.body;
      // An Inform opens a new session: only a cookie, never the connection, can tie it to one.
      // It authenticates on its own, so a device whose address changed since its last session
      // (which sends that session's cookie) is served.
      if (msg.method === 'Inform') {
        return await this.onInform(env as Envelope<Inform>, cookieState, req);
      }
      const refused = await bound();
      if (refused) return refused;
      if (CPE_REQUESTS.has(msg.method)) return await this.onCpeRequest(env as Envelope<CpeRequest>, state, req);
      if (msg.method === 'Fault' || isCpeResponse(msg)) return await this.onResponse(env as Envelope<CpeResponse | Fault>, state, req);
      return this.refuse(env, 8000, `method ${msg.method} is not one a device sends`, state, req);
    } catch (err) {
      return this.failed(err, session, namespace, req);
    } finally {
      if (loaded) await this.recordLeftover(loaded);
    }
  }

  /** A count verified in session that no write of the session took along (refusals, errors, an ended session's 204). */
  private async recordLeftover(state: SessionState): Promise<void> {
    const count = this.unrecorded.get(state);
    if (!count) return;
    this.unrecorded.delete(state);
    await this.d.auth.recordNonceCount(count).catch((err: unknown) => this.d.log.error({ event: 'cwmp.nonce_count_not_recorded', err, deviceId: state.deviceId }, 'nonce count not recorded'));
  }

  /** Stores the state, with the nonce count its request was verified with. */
  private saveState(state: SessionState, previousInflight: string | undefined): Promise<boolean> {
    return this.withCount(state, (count) => this.d.sessions.save(state, previousInflight, count));
  }

  /** Ends the session, recording the nonce count as saveState does. */
  private endState(state: SessionState, previousInflight: string | undefined): Promise<void> {
    return this.withCount(state, (count) => this.d.sessions.end(endedState(state), previousInflight, count));
  }

  /**
   * For the empty POST that ends a session with nothing to do (most periodic sessions): the
   * state this process stored at the Inform, when it leaves nothing to do, so that the request
   * is answered without reading it back (endIdle).
   */
  private idleState(req: CwmpRequest): SessionState | undefined {
    const id = req.sessionId || req.connectionSessionId;
    const state = id ? this.d.sessions.peek(id) : undefined;
    return state && state.phase === 'cpe' && !state.inflight && !state.queue.length && state.reconcile === undefined ? state : undefined;
  }

  /**
   * Ends the session of idleState, provided the store still holds that state. Undefined when
   * it moved on (another replica served the session meanwhile), with nothing done or counted:
   * the request is then served as any other, from the state read.
   */
  private async endIdle(state: SessionState): Promise<CwmpReply | undefined> {
    state.phase = 'acs';
    if (!(await this.withCount(state, (count) => this.d.sessions.endUnchanged(endedState(state), count)))) return undefined;
    this.d.trace.end(state, 'completed');
    return this.completed(state);
  }

  /** What follows the end of a session that did all it had to: the observers, the metrics, 204. */
  private async completed(state: SessionState): Promise<CwmpReply> {
    await this.observe((o) => o.sessionEnded({ deviceId: state.deviceId, sessionId: state.id, at: new Date() }));
    metrics.cwmpSessions.inc({ outcome: 'completed' });
    metrics.cwmpSessionSeconds.observe((Date.now() - state.startedAt) / 1000);
    return { status: 204 };
  }

  /** A write that records the request's nonce count: forgotten once it succeeded, else recordLeftover still records it. */
  private async withCount<T>(state: SessionState, write: (count: NonceCount | undefined) => Promise<T>): Promise<T> {
    const result = await write(this.unrecorded.get(state));
    this.unrecorded.delete(state);
    return result;
  }

  /** Cuts FaultStrings to the configured length, so a device cannot store a megabyte of text. */
  private boundFaultStrings(env: Envelope, state: SessionState | null, req: CwmpRequest): Envelope {
    const max = this.d.config.limits.maxFaultStringLength;
    const { msg, cut } = boundFaultStrings(env.body, max);
    if (!cut) return env;
    this.d.log.warn({ event: 'cwmp.fault_string_cut', method: msg.method, max, deviceId: state?.deviceId, source: req.source }, 'FaultString cut to the configured length');
    return { ...env, body: msg };
  }

  // ---------------------------------------------------------------------------- Inform

  private async onInform(env: Envelope<Inform>, previous: SessionState | null, req: CwmpRequest): Promise<CwmpReply> {
    metrics.cwmpRequests.inc({ kind: 'inform' });
    const inform = env.body;
    if (previous && previous.phase !== 'ended') return this.refuse(env, 8003, 'a session carries one Inform only', previous, req);
    const limits = this.d.config.limits;
    const invalid = deviceIdProblem(inform.deviceId, limits) ?? eventsProblem(inform.event);
    if (invalid) return this.refuse(env, 8003, invalid, null, req);
    const count = parameterCount(inform);
    if (count > limits.maxParameters) return this.refuse(env, 8004, `${count} parameters, more than the ${limits.maxParameters} allowed`, null, req);

    const deviceId = deviceKey(inform.deviceId);
    const device = await this.d.devices.sessionView(deviceId, this.viewFields);
    const certificate = matchCertificate(req.clientCertificate?.names, { serialNumber: inform.deviceId.serialNumber, mac: device?.mac });
    // Credentials that come along are verified (and their nonce count consumed) even when a
    // certificate already authenticates the device: a header seen once never opens a session.
    // The nonce count is recorded by the script that opens the session (one round trip).
    const verdict: AuthVerdict = certificate && !req.authorization ? { ok: true } : await this.verify(req, device?.credentials, true);
    if (!verdict.ok) return this.unauthenticated(verdict, deviceId, req, inform);
    if (!device && !this.d.config.acceptUnknown) {
      if (verdict.nonceCount && !(await this.d.auth.recordNonceCount(verdict.nonceCount))) return this.unauthenticated(this.d.auth.replayed(), deviceId, req, inform);
      metrics.cwmpSessions.inc({ outcome: 'refused' });
      this.d.log.warn({ event: 'cwmp.unknown_device', deviceId, source: req.source }, 'unknown device refused');
      this.d.trace.refused(inform, deviceId, req.source, 'unknown device');
      return { status: 403, body: 'Unknown device\n', contentType: 'text/plain', close: true };
    }

    const queue = device?.taskQueue ?? [];
    const state: SessionState = {
      // the id carries the device's session group: its keys share a slot on a Redis Cluster
      id: newSessionId(deviceId),
      deviceId,
      namespace: env.namespace,
      cwmpVersion: versionOf(env.namespace),
      remoteAddress: req.source,
      identity: {
        ...(verdict.username !== undefined ? { username: verdict.username } : {}),
        ...(certificate ? { certificate: req.clientCertificate!.fingerprint } : {}),
        ...(device?.credentials ? { ownCredential: true } : {}),
      },
      softwareVersion: reportedSoftwareVersion(inform),
      mac: device?.mac,
      startedAt: Date.now(),
      phase: 'cpe',
      queue,
      rpcCount: 0,
      holdRequests: this.d.config.holdRequests && queue.length > 0,
    };
    state.reconcile = this.reconciler.begin(device ?? { _id: deviceId }, inform, { deviceId, sessionId: state.id, now: new Date() });
    this.d.trace.begin(state, env, device);
    const opened = await this.d.sessions.open(state, verdict.nonceCount);
    if (!opened.ok && 'replayed' in opened) return this.unauthenticated(this.d.auth.replayed(), deviceId, req, inform);
    if (!opened.ok) {
      metrics.cwmpSessions.inc({ outcome: 'busy' });
      this.d.log.info({ event: 'cwmp.device_busy', deviceId, source: req.source }, 'device already in a session');
      this.d.trace.refused(inform, deviceId, req.source, 'device already in a session');
      return { status: 503, headers: { 'Retry-After': String(Math.max(1, Math.ceil(opened.retryAfterMs / 1000))) }, body: 'Device already in session\n', contentType: 'text/plain', close: true };
    }
    try {
      const now = new Date();
      const learned = learnFromInform(inform, { now, cwmpVersion: state.cwmpVersion, remoteAddress: req.source, limits }, device ?? {});
      Object.assign(learned.summary.set, this.d.trace.deviceFields(state));
      if (learned.refused.length) this.d.log.warn({ event: 'cwmp.parameters_refused', deviceId, method: 'Inform', count: learned.refused.length, first: learned.refused.slice(0, 3) }, 'reported parameters not stored');
      if (learned.eventCodesDropped) this.d.log.warn({ event: 'cwmp.event_codes_dropped', deviceId, count: learned.eventCodesDropped, max: limits.maxEventCodes }, 'event codes over the per-device limit not recorded');
      if (hasEvent(inform, BOOTSTRAP) && queue.length) await this.abandonTransfers(deviceId, queue, { deviceId, sessionId: state.id, now });
      await this.d.devices.applyInform(deviceId, learned, learned.setOnInsert);
      await this.learnMac(state, inform.parameterList, 'inform');
      if (!device || learned.summary.set.informValues) await this.refreshSearch(deviceId);
      const events = inform.event.map((e) => e.eventCode);
      await this.observe((o) => o.informed({ deviceId, sessionId: state.id, at: now, productClass: inform.deviceId.productClass, softwareVersion: state.softwareVersion, events }));
    } catch (err) {
      this.d.trace.end(state, 'error', errorText(err));
      await this.abort(state);
      throw err;
    }
    const header: EnvelopeHeader = { id: env.header.id };
    if (state.holdRequests) header.holdRequests = true;
    const use = env.header.supportedCwmpVersions?.filter((v) => SUPPORTED_VERSIONS.includes(v)).sort().pop();
    if (use) header.useCwmpVersion = use;
    return { ...this.soap(state.namespace, header, { method: 'InformResponse', maxEnvelopes: 1 }), setSession: state.id };
  }

  /** After a factory reset the device will never report transfers it had accepted. */
  private async abandonTransfers(deviceId: string, queue: string[], ctx: ReconcileContext): Promise<void> {
    const reason = 'the device bootstrapped before reporting the transfer';
    const lost: TaskDoc[] = [];
    for (const id of queue) {
      const task = await this.d.tasks.get(id);
      if (task?.awaiting && (await this.d.tasks.abandonTransfer(id, reason, ctx.now))) lost.push(task);
    }
    await this.d.devices.dequeueTasks(deviceId, lost.map((t) => t._id));
    for (const task of lost) await this.reconciler.settled?.(task, { status: 'fault', fault: { code: 'transfer_lost', message: reason } }, ctx);
  }

  // ---------------------------------------------------------------------------- authentication

  private verify(req: CwmpRequest, own: DeviceSessionView['credentials'], deferNonceCount = false): Promise<AuthVerdict> {
    return this.d.auth.verify({ authorization: req.authorization, method: 'POST', uri: req.uri, source: req.source }, own, { deferNonceCount });
  }

  /**
   * A cookie names a session; it does not speak for it from elsewhere. A request from another
   * address or with another client certificate is refused (403) and leaves the session and its
   * in-flight task as they were; credentials it carries are verified and their nonce count
   * consumed, so a header captured inside a session can never open one.
   */
  private async checkBinding(state: SessionState, req: CwmpRequest): Promise<CwmpReply | undefined> {
    const mismatch = bindingMismatch(state, req);
    if (mismatch) return this.misbound(state, req, mismatch);
    if (!req.authorization || !this.d.auth.required) return undefined;
    // Only a device with its own credential costs a read; the global one is in memory.
    const own = state.identity?.ownCredential ? (await this.d.devices.get(state.deviceId, { credentials: 1 }))?.credentials : undefined;
    const verdict = await this.verify(req, own, true);
    // The session's cookie and address already authenticate the request: a device that resends
    // the header it opened the session with (a reused count) is not refused, and its count
    // stays recorded. A wrong password is. The count is recorded by the session's next write
    // (saveState, endState), else when the request is done (recordLeftover): one round trip less.
    if (verdict.ok && verdict.nonceCount) this.unrecorded.set(state, verdict.nonceCount);
    if (!verdict.ok && verdict.counted) return this.unauthenticated(verdict, state.deviceId, req);
    if (verdict.ok && state.identity?.username !== undefined && verdict.username !== state.identity.username) {
      return this.misbound(state, req, 'request with another username than the one that opened the session');
    }
    return undefined;
  }

  private misbound(state: SessionState, req: CwmpRequest, reason: string): CwmpReply {
    metrics.cwmpRequests.inc({ kind: 'rejected' });
    this.d.log.warn({ event: 'cwmp.session_mismatch', deviceId: state.deviceId, source: req.source, reason }, 'request refused: the session belongs to another client');
    return { status: 403, body: 'This CWMP session belongs to another client\n', contentType: 'text/plain', close: true };
  }

  /** `inform` when the refusal stops a session from opening, for the trace. */
  private unauthenticated(verdict: Extract<AuthVerdict, { ok: false }>, deviceId: string, req: CwmpRequest, inform?: Inform): CwmpReply {
    metrics.cwmpAuthFailures.inc({ result: verdict.counted ? 'failed' : 'challenged' });
    const entry = { deviceId, source: req.source, reason: verdict.reason };
    if (verdict.counted) {
      this.d.log.warn({ event: 'cwmp.auth_failed', ...entry }, 'device authentication failed');
      if (inform) this.d.trace.refused(inform, deviceId, req.source, 'authentication failed');
    }
    else if (verdict.stale) this.d.log.info({ event: 'cwmp.auth_stale', ...entry }, 'device proved its password with a nonce that cannot be accepted: fresh challenge');
    return { status: 401, headers: { 'WWW-Authenticate': verdict.challenge }, body: 'Authentication required\n', contentType: 'text/plain' };
  }

  // ---------------------------------------------------------------------------- device requests

  private async onCpeRequest(env: Envelope<CpeRequest>, state: SessionState | null, req: CwmpRequest): Promise<CwmpReply> {
    metrics.cwmpRequests.inc({ kind: 'cpe_request' });
    if (!state) return this.noSession(req, env.body.method);
    if (state.phase === 'ended') {
      // Requests the device held back while HoldRequests was on arrive after the ACS's 204.
      if (!(await this.d.sessions.reopen({ ...state, phase: 'cpe' }))) return this.busy();
      state.phase = 'cpe';
    }
    const msg = env.body;
    const now = new Date();
    this.d.trace.cpeRequest(state, env);
    let response: CwmpMessage;
    switch (msg.method) {
      case 'TransferComplete':
        await this.onTransferComplete(state, msg, now);
        response = { method: 'TransferCompleteResponse' };
        break;
      case 'AutonomousTransferComplete':
        await this.d.devices.apply(state.deviceId, summaryOnly({ lastAutonomousTransfer: { ...msg, receivedAt: now } }));
        response = { method: 'AutonomousTransferCompleteResponse' };
        break;
      case 'RequestDownload':
        await this.d.devices.apply(state.deviceId, summaryOnly({ lastRequestDownload: { fileType: msg.fileType, fileTypeArg: msg.fileTypeArg, receivedAt: now } }));
        response = { method: 'RequestDownloadResponse' };
        break;
      case 'Kicked':
        response = { method: 'KickedResponse', nextURL: msg.next };
        break;
      case 'GetRPCMethods':
        response = { method: 'GetRPCMethodsResponse', methodList: ACS_METHODS };
        break;
      default:
        return this.refuse(env, 8000, `method ${(msg as CwmpMessage).method} not supported`, state, req);
    }
    if (!(await this.saveState(state, state.inflight?.taskId))) return this.lost(state);
    return this.soap(state.namespace, { id: env.header.id }, response);
  }

  private async onTransferComplete(state: SessionState, tc: TransferComplete, now: Date): Promise<void> {
    const device = await this.d.devices.get(state.deviceId, { taskQueue: 1 });
    const queue = device?.taskQueue ?? [];
    const ordered = queue.includes(tc.commandKey) ? [tc.commandKey, ...queue.filter((id) => id !== tc.commandKey)] : queue;
    for (const id of ordered) {
      const task = await this.d.tasks.get(id);
      if (!task?.awaiting) continue;
      const sent = requestFor(task.rpc, task._id);
      if (!('commandKey' in sent) || sent.commandKey !== tc.commandKey) continue;
      const outcome = outcomeOfTransfer(tc, task.expect, state.softwareVersion);
      if (await this.d.tasks.completeTransfer(id, outcome, now)) {
        await this.d.devices.dequeueTasks(state.deviceId, [id]);
        await this.reconciler.settled?.(task, outcome, this.reconcileContext(state, now));
        await this.observe((o) => o.taskFinished({ deviceId: state.deviceId, taskId: id, status: outcome.status, at: now, jobId: task.jobId }));
      }
      metrics.cwmpRpcs.inc({ method: task.rpc.method, outcome: outcome.status });
      return;
    }
    this.d.log.info({ event: 'cwmp.transfer_unmatched', deviceId: state.deviceId, commandKey: tc.commandKey.slice(0, 64) }, 'TransferComplete for no known task');
  }

  // ---------------------------------------------------------------------------- responses

  private async onResponse(env: Envelope<CpeResponse | Fault>, state: SessionState | null, req: CwmpRequest): Promise<CwmpReply> {
    const msg = env.body;
    metrics.cwmpRequests.inc({ kind: msg.method === 'Fault' ? 'fault' : 'response' });
    if (!state) return this.noSession(req, msg.method);
    const inflight = state.phase === 'acs' ? state.inflight : undefined;
    if (!inflight) return this.refuse(env, 8003, `${msg.method} answers no request`, state, req);
    if (msg.method !== 'Fault' && msg.method !== `${inflight.rpc.method}Response`) {
      return this.refuse(env, 8003, `${msg.method} does not answer ${inflight.rpc.method}`, state, req);
    }
    if (env.header.id && env.header.id !== inflight.rpcId) return this.refuse(env, 8003, 'cwmp:ID answers no request of this session', state, req);

    const now = new Date();
    const limits = this.d.config.limits;
    const count = parameterCount(msg);
    let learned: Learned | undefined;
    let outcome: Outcome;
    if (count > limits.maxParameters) {
      const message = `the device reported ${count} parameters, more than the ${limits.maxParameters} allowed; nothing of it was stored`;
      this.d.log.warn({ event: 'cwmp.too_many_parameters', deviceId: state.deviceId, method: msg.method, count, max: limits.maxParameters }, 'response over the parameter limit');
      outcome = { status: 'fault', fault: { code: 'limit_exceeded', message } };
    } else if (msg.method === 'Fault') {
      outcome = outcomeOfFault(msg);
    } else {
      learned = learnFromResponse(inflight.rpc, msg, now, limits);
      outcome = outcomeOfResponse(msg);
      if (learned.refused.length) {
        this.d.log.warn({ event: 'cwmp.parameters_refused', deviceId: state.deviceId, method: msg.method, count: learned.refused.length, first: learned.refused.slice(0, 3) }, 'reported parameters not stored');
        if (outcome.status === 'done') outcome = { ...outcome, refused: learned.refused };
      }
    }
    metrics.cwmpRpcs.inc({ method: inflight.rpc.method, outcome: outcome.status });
    // What the device reported is stored before its task says so, and is true whether or not
    // the task was cancelled meanwhile.
    if (learned) {
      try {
        await this.d.devices.learn(state.deviceId, learned, now);
      } catch (err) {
        if (inflight.taskId) await this.d.tasks.settle(inflight.taskId, state.id, { status: 'fault', fault: { code: 'acs_error', message: `the ACS could not store the answer: ${errorText(err)}` } }, now);
        throw err;
      }
    }
    this.d.trace.answered(state, inflight, outcome, env);
    let finished: string[] = [];
    if (inflight.taskId) {
      const settled = await this.d.tasks.settle(inflight.taskId, state.id, outcome, now);
      if (settled && outcome.status !== 'awaiting') finished = [inflight.taskId];
      if (!settled) this.d.log.info({ event: 'cwmp.task_not_settled', deviceId: state.deviceId, taskId: inflight.taskId }, 'answer to a task no longer held by this session');
    }
    if (learned) await this.d.devices.apply(state.deviceId, { summary: learned.summary, params: { set: {}, unset: [] } }, finished);
    else await this.d.devices.dequeueTasks(state.deviceId, finished);
    if (msg.method === 'GetParameterValuesResponse' && learned) {
      await this.learnMac(state, msg.parameterList, 'parameters');
      const paths = msg.parameterList.map((p) => p.name);
      if (paths.some((p) => LINE_PARAMETER.test(p)) || macFromParameters(msg.parameterList)) await this.refreshSearch(state.deviceId);
      await this.observe((o) => o.parametersLearned({ deviceId: state.deviceId, paths, at: now }));
    }
    if (finished.length) await this.observe((o) => o.taskFinished({ deviceId: state.deviceId, taskId: finished[0], status: outcome.status, at: now, jobId: inflight.jobId }));
    // An answer over the limit is not looked at: the plan that asked for it ends here.
    if (count > limits.maxParameters) state.reconcile = undefined;
    else if (!inflight.taskId || inflight.planned) state.reconcile = await this.reconciler.answer(state.reconcile, inflight.rpc, msg, this.reconcileContext(state, now));
    state.inflight = undefined;
    return this.next(state, inflight.taskId);
  }

  /** Tells the observer; its failures are logged, never the session's problem. */
  private async observe(tell: (o: SessionObserver) => Promise<void>): Promise<void> {
    if (!this.d.observer) return;
    try {
      await tell(this.d.observer);
    } catch (err) {
      this.d.log.warn({ event: 'cwmp.observer_failed', err: (err as Error).message }, 'could not publish a session event');
    }
  }

  /** Only first contact and changed values cost this (two reads, a few writes); a periodic Inform none. */
  private async refreshSearch(deviceId: string): Promise<void> {
    try {
      await this.d.search?.refresh(deviceId);
    } catch (err) {
      this.d.log.warn({ event: 'cwmp.search_index_failed', deviceId, err: (err as Error).message }, 'could not update the search index');
    }
  }

  /** Records a MAC the device reported, when it differs from the one the ACS knew. */
  private async learnMac(state: SessionState, params: Array<{ name: string; value: unknown }>, source: MacSource): Promise<void> {
    const mac = macFromParameters(params);
    if (!mac || mac === state.mac) return;
    await this.d.macs.assign(state.deviceId, mac, source);
    state.mac = mac;
  }

  private reconcileContext(state: SessionState, now: Date) {
    return { deviceId: state.deviceId, sessionId: state.id, now };
  }

  // ---------------------------------------------------------------------------- ACS requests

  private async onEmpty(state: SessionState | null, req: CwmpRequest): Promise<CwmpReply> {
    if (!state) return this.noSession(req, 'empty POST');
    if (state.phase === 'ended') return { status: 204 };
    const previous = state.inflight?.taskId;
    if (state.inflight) {
      // The device gave up on our request without answering: retry it in a later session.
      if (state.inflight.taskId) await this.d.tasks.release(state.inflight.taskId, state.id, new Date());
      this.d.log.info({ event: 'cwmp.request_unanswered', deviceId: state.deviceId, method: state.inflight.rpc.method }, 'empty POST while a request was in flight');
      this.d.trace.answered(state, state.inflight, 'unanswered');
      state.inflight = undefined;
      state.queue = [];
      state.reconcile = undefined;
    }
    state.phase = 'acs';
    return this.next(state, previous);
  }

  /** Sends the next queued task, or ends the session with 204. */
  private async next(state: SessionState, previousInflight?: string): Promise<CwmpReply> {
    const now = new Date();
    const gone: string[] = [];
    try {
      while (state.queue.length && state.rpcCount < this.d.config.maxRpcsPerSession) {
        const claimed = await this.claimQueued(state.queue.shift()!, state.id, now, gone);
        if (!claimed) continue;
        const rpc = requestFor(claimed.rpc, claimed._id);
        state.rpcCount += 1;
        state.inflight = { taskId: claimed._id, rpcId: `${state.id.slice(0, 8)}-${state.rpcCount}`, rpc, ...(claimed.jobId ? { jobId: claimed.jobId } : {}) };
        if (!(await this.saveClaimed(state, previousInflight, claimed._id, now))) return this.lost(state);
        return this.soap(state.namespace, { id: state.inflight.rpcId }, rpc);
      }
    } finally {
      await this.d.devices.dequeueTasks(state.deviceId, gone);
    }
    if (state.reconcile !== undefined && state.rpcCount < this.d.config.maxRpcsPerSession) {
      const step = await this.reconciler.next(state.reconcile, this.reconcileContext(state, now));
      state.reconcile = step.rpc || step.task ? step.state : undefined;
      if (step.task) {
        const claimed = await this.d.tasks.claim(step.task, state.id, now);
        if (claimed) {
          const rpc = requestFor(claimed.rpc, claimed._id);
          state.rpcCount += 1;
          state.inflight = { taskId: claimed._id, rpcId: `${state.id.slice(0, 8)}-${state.rpcCount}`, rpc, planned: true };
          if (!(await this.saveClaimed(state, previousInflight, claimed._id, now))) return this.lost(state);
          return this.soap(state.namespace, { id: state.inflight.rpcId }, rpc);
        }
        // Taken or cancelled between queueing and sending: it stays for a later session, the plan ends here.
        this.d.log.info({ event: 'cwmp.plan_task_not_claimed', deviceId: state.deviceId, taskId: step.task._id }, 'task of the plan could not be claimed');
        state.reconcile = undefined;
      } else if (step.rpc) {
        state.rpcCount += 1;
        state.inflight = { rpcId: `${state.id.slice(0, 8)}-${state.rpcCount}`, rpc: step.rpc };
        if (!(await this.saveState(state, previousInflight))) return this.lost(state);
        return this.soap(state.namespace, { id: state.inflight.rpcId }, step.rpc);
      }
    }
    this.d.trace.end(state, 'completed');
    await this.endState(state, previousInflight);
    return this.completed(state);
  }

  /**
   * Claims a queued task. A pending one, the usual case, is claimed unread in one round trip;
   * any other is read and decided: expired, gone from the queue (`gone`), skipped, or taken
   * over from a session that died, as it was read.
   */
  private async claimQueued(id: string, sessionId: string, now: Date, gone: string[]): Promise<TaskDoc | null> {
    const pending = await this.d.tasks.claimPending(id, sessionId, now);
    if (pending) return pending;
    const task = await this.d.tasks.get(id);
    const decision = decide(task, sessionId, now);
    if (decision === 'drop') gone.push(id);
    if (decision === 'expire' && (await this.d.tasks.expire(task!, now))) gone.push(id);
    return decision === 'send' ? this.d.tasks.claim(task!, sessionId, now) : null;
  }

  // ---------------------------------------------------------------------------- failures

  /**
   * An unexpected error inside a session: it is logged once, the session ends (its in-flight
   * task back to pending, unless its answer already settled it) and the device gets CWMP
   * fault 8002, so its next Inform opens a fresh session.
   */
  private async failed(err: unknown, session: SessionState | null, namespace: CwmpNamespace | undefined, req: CwmpRequest): Promise<CwmpReply> {
    metrics.cwmpSessions.inc({ outcome: 'failed' });
    this.d.log.error({ event: 'cwmp.session_failed', err, deviceId: session?.deviceId, source: req.source }, 'CWMP request failed; its session ended');
    if (session && session.phase !== 'ended') {
      this.d.trace.end(session, 'error', errorText(err));
      await this.abort(session);
    }
    if (!namespace) return { status: 500, body: 'Internal error\n', contentType: 'text/plain', close: true };
    return { ...this.soap(namespace, {}, acsFault(8002, 'internal error; the session was ended'), 500), close: true };
  }

  /**
   * Stores the state that now holds a just-claimed task, before the task goes out. A claim the
   * state could not be stored with (lock lost, no replica has it, Redis failed) is given back
   * with its attempt: the device never saw it.
   */
  private async saveClaimed(state: SessionState, previousInflight: string | undefined, taskId: string, now: Date): Promise<boolean> {
    let saved = false;
    try {
      saved = await this.saveState(state, previousInflight);
    } finally {
      if (!saved) {
        state.inflight = undefined;
        await this.d.tasks.release(taskId, state.id, now, { unsent: true });
      }
    }
    return saved;
  }

  /** Ends a session that cannot go on; each step is tried even when another fails. */
  private async abort(state: SessionState): Promise<void> {
    const taskId = state.inflight?.taskId;
    if (taskId) {
      await this.d.tasks.release(taskId, state.id, new Date()).catch((err: unknown) => this.d.log.error({ event: 'cwmp.release_failed', err, taskId }, 'in-flight task not released'));
    }
    await this.endState(state, taskId).catch((err: unknown) => this.d.log.error({ event: 'cwmp.end_failed', err, deviceId: state.deviceId }, 'session not ended'));
  }

  // ---------------------------------------------------------------------------- replies

  private soap(namespace: CwmpNamespace, header: EnvelopeHeader, body: CwmpMessage, status = 200): CwmpReply {
    return { status, body: encodeEnvelope({ namespace, header, body }), contentType: XML };
  }

  /**
   * A SOAP fault for a well-formed message the ACS cannot accept. The session, if any, is left
   * as it was: its queued and in-flight tasks are untouched.
   */
  private refuse(env: Envelope, code: number, reason: string, state: SessionState | null, req: CwmpRequest): CwmpReply {
    metrics.cwmpRequests.inc({ kind: 'rejected' });
    this.d.log.warn({ event: 'cwmp.refused', code, reason, deviceId: state?.deviceId, source: req.source }, 'CWMP message refused');
    return this.soap(env.namespace, { id: env.header.id }, acsFault(code, reason), 500);
  }

  private undecodable(err: CwmpDecodeError, state: SessionState | null, req: CwmpRequest): CwmpReply {
    metrics.cwmpRequests.inc({ kind: 'rejected' });
    this.d.log.warn({ event: 'cwmp.undecodable', kind: err.kind, reason: err.message, deviceId: state?.deviceId, source: req.source }, 'undecodable CWMP message');
    if (err.namespace && (err.kind === 'unknown-method' || err.kind === 'invalid-argument')) {
      const code = err.kind === 'unknown-method' ? 8000 : 8003;
      return this.soap(err.namespace, { id: err.id }, acsFault(code, err.message), 500);
    }
    return { status: 400, body: `Bad CWMP message: ${err.message}\n`, contentType: 'text/plain', close: !state };
  }

  private noSession(req: CwmpRequest, what: string): CwmpReply {
    metrics.cwmpRequests.inc({ kind: 'rejected' });
    this.d.log.warn({ event: 'cwmp.no_session', what, source: req.source, hadCookie: !!req.sessionId }, 'request outside a session');
    return { status: 400, body: 'No CWMP session: a session starts with Inform\n', contentType: 'text/plain', close: true };
  }

  private challenge(): CwmpReply {
    metrics.cwmpAuthFailures.inc({ result: 'challenged' });
    return { status: 401, headers: { 'WWW-Authenticate': this.d.auth.challenge() }, body: 'Authentication required\n', contentType: 'text/plain' };
  }

  private tooManyFailures(req: CwmpRequest): CwmpReply {
    metrics.cwmpAuthFailures.inc({ result: 'blocked' });
    this.d.log.warn({ event: 'cwmp.auth_blocked', source: req.source }, 'source refused after too many failed logins');
    return { status: 429, headers: { 'Retry-After': String(this.d.config.authFailWindowSeconds) }, body: 'Too many failed logins\n', contentType: 'text/plain', close: true };
  }

  private busy(): CwmpReply {
    metrics.cwmpSessions.inc({ outcome: 'busy' });
    return { status: 503, headers: { 'Retry-After': '5' }, body: 'Device already in session\n', contentType: 'text/plain', close: true };
  }

  private lost(state: SessionState): CwmpReply {
    this.d.log.warn({ event: 'cwmp.session_lost', deviceId: state.deviceId }, 'session timed out while the device was still talking');
    this.d.trace.end(state, 'timed_out', 'the session expired while the device was still talking');
    return { status: 400, body: 'CWMP session expired\n', contentType: 'text/plain', close: true };
  }
}

const CPE_RESPONSE_METHODS = new Set<string>([
  'GetRPCMethodsResponse',
  'GetParameterValuesResponse',
  'SetParameterValuesResponse',
  'GetParameterNamesResponse',
  'SetParameterAttributesResponse',
  'GetParameterAttributesResponse',
  'AddObjectResponse',
  'DeleteObjectResponse',
  'DownloadResponse',
  'UploadResponse',
  'RebootResponse',
  'FactoryResetResponse',
  'ScheduleInformResponse',
  'ScheduleDownloadResponse',
  'CancelTransferResponse',
  'GetQueuedTransfersResponse',
  'GetAllQueuedTransfersResponse',
]);

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}

function summaryOnly(set: Record<string, unknown>) {
  return { summary: { set, unset: [] }, params: { set: {}, unset: [] } };
}

function reportedSoftwareVersion(inform: Inform): string | undefined {
  const p = inform.parameterList.find((x) => /^(Device|InternetGatewayDevice)\.DeviceInfo\.SoftwareVersion$/.test(x.name));
  return p === undefined ? undefined : String(p.value);
}

function isCpeResponse(msg: CwmpMessage): msg is CpeResponse {
  return CPE_RESPONSE_METHODS.has(msg.method);
}

/** The state an ended session leaves behind (readable for one more timeout). */
function endedState(state: SessionState): SessionState {
  return { ...state, phase: 'ended', inflight: undefined, reconcile: undefined };
}
