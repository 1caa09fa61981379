import type { SearchIndex } from '../../devices/search-index';
import { LINE_PARAMETER } from '../../devices/search-keys';
import type { SessionObserver } from './observer';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config';
import { deviceKey } from '../../devices/id';
import { macFromParameters, type MacDirectory, type MacSource } from '../../devices/mac-directory';
import { BOOTSTRAP, hasEvent, learnFromInform, learnFromResponse } from '../../devices/learn';
import type { DeviceRepository } from '../../devices/repository';
import type { Logger } from '../../log';
import { metrics } from '../../metrics';
import { decide, requestFor } from '../../tasks/decide';
import { outcomeOfFault, outcomeOfResponse, outcomeOfTransfer, type Outcome } from '../../tasks/outcome';
import type { TaskRepository } from '../../tasks/repository';
import type { DeviceAuthenticator } from '../auth/device-auth';
import { acsFault, CwmpDecodeError, decodeEnvelope, encodeEnvelope, versionOf } from '../soap';
import type { CpeRequest, CpeResponse, CwmpMessage, CwmpNamespace, Envelope, EnvelopeHeader, Fault, Inform, TransferComplete } from '../soap/types';
import type { TaskDoc } from '../../tasks/types';
import { NO_RECONCILER, type ReconcileContext, type Reconciler } from './reconciler';
import type { SessionState } from './state';
import type { SessionStore } from './store';

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
  source: string;
  /**
   * Names (subject CN and subjectAltNames) of a TLS client certificate that verified against
   * the configured CAs. A certificate naming the device's serial number authenticates it.
   */
  clientCertificateNames?: string[];
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
  devices: DeviceRepository;
  tasks: TaskRepository;
  sessions: SessionStore;
  auth: DeviceAuthenticator;
  log: Logger;
  /** brings devices to their desired state after the operator's tasks */
  reconciler?: Reconciler;
  /** MAC -> device, for the phones' own provisioning channel */
  macs: MacDirectory;
  /** told of sessions, finished tasks and learned values (the console's live feed) */
  observer?: SessionObserver;
  /** the console's device search index, refreshed when a session learns what it indexes */
  search?: SearchIndex;
}

/**
 * The CWMP session state machine. Transport-agnostic: it takes one decoded HTTP request and
 * returns the reply; everything it remembers between requests lives in Redis (session state,
 * lock) and MongoDB (devices, tasks).
 */
export class SessionEngine {
  private readonly reconciler: Reconciler;

  constructor(private readonly d: EngineDeps) {
    this.reconciler = d.reconciler ?? NO_RECONCILER;
  }

  async handle(req: CwmpRequest): Promise<CwmpReply> {
    const cookieState = req.sessionId ? await this.d.sessions.load(req.sessionId) : null;
    // A cookie, even a stale one, names the session; the connection only speaks for CPEs that
    // send no cookie at all.
    const state = req.sessionId ? cookieState : req.connectionSessionId ? await this.d.sessions.load(req.connectionSessionId) : null;
    if (req.body.trim() === '') {
      metrics.cwmpRequests.inc({ kind: 'empty' });
      return this.onEmpty(state, req);
    }
    if (!cookieState && (await this.d.auth.blocked(req.source))) return this.tooManyFailures(req);
    // Nothing but an Inform may open a session, and an Inform without credentials only earns a
    // challenge: no need to parse what an unauthenticated client sent.
    if (!state && this.d.auth.required && !req.authorization && !req.clientCertificateNames?.length) return this.challenge();
    let env: Envelope;
    try {
      env = decodeEnvelope(req.body, { maxDepth: this.d.config.maxDepth });
    } catch (err) {
      if (err instanceof CwmpDecodeError) return this.undecodable(err, state, req);
      throw err;
    }
    const msg = env.body;
    // An Inform opens a new session: only a cookie, never the connection, can tie it to one.
    if (msg.method === 'Inform') return this.onInform(env as Envelope<Inform>, cookieState, req);
    if (CPE_REQUESTS.has(msg.method)) return this.onCpeRequest(env as Envelope<CpeRequest>, state, req);
    if (msg.method === 'Fault' || isCpeResponse(msg)) return this.onResponse(env as Envelope<CpeResponse | Fault>, state, req);
    return this.refuse(env, 8000, `method ${msg.method} is not one a device sends`, state, req);
  }

  // ---------------------------------------------------------------------------- Inform

  private async onInform(env: Envelope<Inform>, previous: SessionState | null, req: CwmpRequest): Promise<CwmpReply> {
    metrics.cwmpRequests.inc({ kind: 'inform' });
    const inform = env.body;
    if (previous && previous.phase !== 'ended') return this.refuse(env, 8003, 'a session carries one Inform only', previous, req);
    if (!inform.deviceId.oui || !inform.deviceId.serialNumber) return this.refuse(env, 8003, 'Inform DeviceId lacks OUI or SerialNumber', null, req);

    const deviceId = deviceKey(inform.deviceId);
    const device = await this.d.devices.sessionView(deviceId, this.reconciler.viewFields);
    const verdict = certificateNames(req, inform.deviceId.serialNumber)
      ? ({ ok: true } as const)
      : await this.d.auth.verify({ authorization: req.authorization, method: 'POST', uri: req.uri, source: req.source }, device?.credentials);
    if (!verdict.ok) {
      metrics.cwmpAuthFailures.inc({ result: verdict.counted ? 'failed' : 'challenged' });
      if (verdict.counted) this.d.log.warn({ event: 'cwmp.auth_failed', deviceId, source: req.source, reason: verdict.reason }, 'device authentication failed');
      return { status: 401, headers: { 'WWW-Authenticate': verdict.challenge }, body: 'Authentication required\n', contentType: 'text/plain' };
    }
    if (!device && !this.d.config.acceptUnknown) {
      metrics.cwmpSessions.inc({ outcome: 'refused' });
      this.d.log.warn({ event: 'cwmp.unknown_device', deviceId, source: req.source }, 'unknown device refused');
      return { status: 403, body: 'Unknown device\n', contentType: 'text/plain', close: true };
    }

    const queue = device?.taskQueue ?? [];
    const state: SessionState = {
      id: randomBytes(16).toString('hex'),
      deviceId,
      namespace: env.namespace,
      cwmpVersion: versionOf(env.namespace),
      remoteAddress: req.source,
      softwareVersion: reportedSoftwareVersion(inform),
      mac: device?.mac,
      startedAt: Date.now(),
      phase: 'cpe',
      queue,
      rpcCount: 0,
      holdRequests: this.d.config.holdRequests && queue.length > 0,
    };
    state.reconcile = this.reconciler.begin(device ?? { _id: deviceId }, inform, { deviceId, sessionId: state.id, now: new Date() });
    const opened = await this.d.sessions.open(state);
    if (!opened.ok) {
      metrics.cwmpSessions.inc({ outcome: 'busy' });
      this.d.log.info({ event: 'cwmp.device_busy', deviceId, source: req.source }, 'device already in a session');
      return { status: 503, headers: { 'Retry-After': String(Math.max(1, Math.ceil(opened.retryAfterMs / 1000))) }, body: 'Device already in session\n', contentType: 'text/plain', close: true };
    }
    try {
      const now = new Date();
      const learned = learnFromInform(inform, { now, cwmpVersion: state.cwmpVersion, remoteAddress: req.source }, device?.informValues);
      if (learned.skipped.length) this.d.log.warn({ event: 'cwmp.bad_parameter_names', deviceId, count: learned.skipped.length }, 'Inform parameters with invalid names ignored');
      if (hasEvent(inform, BOOTSTRAP) && queue.length) await this.abandonTransfers(deviceId, queue, { deviceId, sessionId: state.id, now });
      await this.d.devices.applyInform(deviceId, learned, learned.setOnInsert);
      await this.learnMac(state, inform.parameterList, 'inform');
      if (!device || learned.summary.set.informValues) await this.refreshSearch(deviceId);
      const events = inform.event.map((e) => e.eventCode);
      await this.observe((o) => o.informed({ deviceId, sessionId: state.id, at: now, productClass: inform.deviceId.productClass, softwareVersion: state.softwareVersion, events }));
    } catch (err) {
      await this.d.sessions.end({ ...state, phase: 'ended' });
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
    if (!(await this.d.sessions.save(state, state.inflight?.taskId))) return this.lost(state);
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
        await this.observe((o) => o.taskFinished({ deviceId: state.deviceId, taskId: id, status: outcome.status, at: now }));
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
    const outcome: Outcome = msg.method === 'Fault' ? outcomeOfFault(msg) : outcomeOfResponse(msg);
    metrics.cwmpRpcs.inc({ method: inflight.rpc.method, outcome: outcome.status });
    let finished: string[] = [];
    if (inflight.taskId) {
      const settled = await this.d.tasks.settle(inflight.taskId, state.id, outcome, now);
      if (settled && outcome.status !== 'awaiting') finished = [inflight.taskId];
      if (!settled) this.d.log.info({ event: 'cwmp.task_not_settled', deviceId: state.deviceId, taskId: inflight.taskId }, 'answer to a task no longer held by this session');
    }
    // What the device reported is true whether or not the task was cancelled meanwhile.
    if (msg.method === 'Fault') {
      await this.d.devices.dequeueTasks(state.deviceId, finished);
    } else {
      const learned = learnFromResponse(inflight.rpc, msg, now);
      if (learned.listing) await this.d.devices.applyListing(state.deviceId, learned.listing, now);
      await this.d.devices.apply(state.deviceId, learned, finished);
      if (msg.method === 'GetParameterValuesResponse') {
        await this.learnMac(state, msg.parameterList, 'parameters');
        const paths = msg.parameterList.map((p) => p.name);
        if (paths.some((p) => LINE_PARAMETER.test(p)) || macFromParameters(msg.parameterList)) await this.refreshSearch(state.deviceId);
        await this.observe((o) => o.parametersLearned({ deviceId: state.deviceId, paths, at: now }));
      }
    }
    if (finished.length) await this.observe((o) => o.taskFinished({ deviceId: state.deviceId, taskId: finished[0], status: outcome.status, at: now }));
    if (!inflight.taskId || inflight.planned) state.reconcile = await this.reconciler.answer(state.reconcile, inflight.rpc, msg, this.reconcileContext(state, now));
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
        const id = state.queue.shift()!;
        const task = await this.d.tasks.get(id);
        const decision = decide(task, state.id, now);
        if (decision === 'drop') gone.push(id);
        if (decision === 'expire' && (await this.d.tasks.expire(task!, now))) gone.push(id);
        if (decision !== 'send') continue;
        const claimed = await this.d.tasks.claim(task!, state.id, now);
        if (!claimed) continue;
        const rpc = requestFor(claimed.rpc, claimed._id);
        state.rpcCount += 1;
        state.inflight = { taskId: claimed._id, rpcId: `${state.id.slice(0, 8)}-${state.rpcCount}`, rpc };
        if (!(await this.d.sessions.save(state, previousInflight))) {
          await this.d.tasks.release(claimed._id, state.id, now);
          return this.lost(state);
        }
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
          if (!(await this.d.sessions.save(state, previousInflight))) {
            await this.d.tasks.release(claimed._id, state.id, now);
            return this.lost(state);
          }
          return this.soap(state.namespace, { id: state.inflight.rpcId }, rpc);
        }
        // Taken or cancelled between queueing and sending: it stays for a later session, the plan ends here.
        this.d.log.info({ event: 'cwmp.plan_task_not_claimed', deviceId: state.deviceId, taskId: step.task._id }, 'task of the plan could not be claimed');
        state.reconcile = undefined;
      } else if (step.rpc) {
        state.rpcCount += 1;
        state.inflight = { rpcId: `${state.id.slice(0, 8)}-${state.rpcCount}`, rpc: step.rpc };
        if (!(await this.d.sessions.save(state, previousInflight))) return this.lost(state);
        return this.soap(state.namespace, { id: state.inflight.rpcId }, step.rpc);
      }
    }
    await this.d.sessions.end({ ...state, phase: 'ended', inflight: undefined, reconcile: undefined }, previousInflight);
    await this.observe((o) => o.sessionEnded({ deviceId: state.deviceId, sessionId: state.id, at: new Date() }));
    metrics.cwmpSessions.inc({ outcome: 'completed' });
    metrics.cwmpSessionSeconds.observe((Date.now() - state.startedAt) / 1000);
    return { status: 204 };
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

/**
 * TR-069 lets a verified TLS client certificate stand in for HTTP authentication. It counts
 * only for the device it names: one of its names must contain the Inform's serial number, so
 * a certificate cannot speak for another device.
 */
function certificateNames(req: CwmpRequest, serialNumber: string): boolean {
  const serial = serialNumber.toUpperCase();
  return !!serial && !!req.clientCertificateNames?.some((n) => n.toUpperCase().includes(serial));
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
