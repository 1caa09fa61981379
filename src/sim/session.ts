import { CwmpDecodeError, cpeFault, decodeEnvelope, encodeEnvelope } from '../cwmp/soap';
import {
  CWMP_NAMESPACES,
  type AcsRequest,
  type CpeRequest,
  type CpeResponse,
  type CwmpMessage,
  type CwmpNamespace,
  type Envelope,
  type EnvelopeHeader,
  type Fault,
} from '../cwmp/soap/types';
import type { Device, SessionEffects } from './device';
import type { HttpResponse, SessionTransport } from './http/transport';
import { headerList } from './http/transport';
import { SessionFailure, type SessionOutcome } from './outcome';

export type CwmpVersion = keyof typeof CWMP_NAMESPACES;
export const CWMP_VERSIONS = Object.keys(CWMP_NAMESPACES) as CwmpVersion[];

export interface SessionOptions {
  cwmpVersion: CwmpVersion;
  /** 'digit' sends booleans as 1/0 (a quirk of some CPEs) */
  booleanLiteral: 'word' | 'digit';
  /** send cwmp:ID empty (a quirk seen in the field) */
  emptyId: boolean;
  /** the session fails if the ACS sends more requests than this */
  maxAcsRequests: number;
  /** SessionTimeout announced by CWMP 1.3+ devices, seconds */
  sessionTimeout: number;
  /** the next cwmp:ID for a request of this device */
  nextId: () => string;
}

/** The ACS request methods a CPE can be asked to run (anything else is a protocol error). */
const ACS_REQUEST_METHODS = new Set<string>([
  'GetRPCMethods',
  'GetParameterValues',
  'SetParameterValues',
  'GetParameterNames',
  'SetParameterAttributes',
  'GetParameterAttributes',
  'AddObject',
  'DeleteObject',
  'Download',
  'Upload',
  'Reboot',
  'FactoryReset',
  'ScheduleInform',
  'ScheduleDownload',
  'CancelTransfer',
  'GetQueuedTransfers',
  'GetAllQueuedTransfers',
]);

/**
 * Runs one CWMP session of `device` over `transport`: Inform, the device's TransferCompletes
 * (after the ACS's requests when the InformResponse says HoldRequests), an empty POST, then
 * the ACS's requests until HTTP 204. Never throws: every failure becomes the outcome.
 */
export async function runSession(
  device: Device,
  transport: SessionTransport,
  opts: SessionOptions,
): Promise<{ outcome: SessionOutcome; effects: SessionEffects }> {
  const startedAt = Date.now();
  const run = new CwmpExchange(device, transport, opts);
  let ok = false;
  let failure: SessionFailure | undefined;
  try {
    await run.session();
    ok = true;
  } catch (err) {
    failure = asFailure(err);
  } finally {
    transport.close(ok);
  }
  const effects = device.endSession(ok, run.informAcknowledged);
  return {
    outcome: {
      ok,
      reason: failure?.reason,
      detail: failure?.message,
      httpStatus: failure?.status,
      retryAfter: failure?.retryAfter,
      events: run.events,
      retryCount: run.retryCount,
      acsRequests: run.acsRequests,
      transferCompletes: run.transferCompletes,
      httpRequests: transport.requests,
      startedAt,
      durationMs: Date.now() - startedAt,
    },
    effects,
  };
}

class CwmpExchange {
  informAcknowledged = false;
  events: string[] = [];
  retryCount = 0;
  acsRequests: string[] = [];
  transferCompletes = 0;
  private namespace: CwmpNamespace;

  constructor(
    private readonly device: Device,
    private readonly transport: SessionTransport,
    private readonly opts: SessionOptions,
  ) {
    this.namespace = CWMP_NAMESPACES[opts.cwmpVersion];
  }

  async session(): Promise<void> {
    const hold = await this.inform();
    if (!hold) await this.sendTransferCompletes();
    await this.answerAcs();
    if (hold && this.device.transferCompletes().length > 0) {
      await this.sendTransferCompletes();
      await this.answerAcs();
    }
  }

  /** Sends the Inform; returns the InformResponse's HoldRequests. */
  private async inform(): Promise<boolean> {
    const inform = this.device.buildInform();
    this.events = inform.event.map((e) => e.eventCode);
    this.retryCount = inform.retryCount;
    const header: EnvelopeHeader = {};
    const v = this.opts.cwmpVersion;
    if (v === '1.3' || v === '1.4') header.sessionTimeout = this.opts.sessionTimeout;
    if (v === '1.4') header.supportedCwmpVersions = [...CWMP_VERSIONS];
    const { envelope, body, status } = await this.request(inform, header);
    if (body.method === 'Fault') throw new SessionFailure('fault', `the ACS answered the Inform with fault ${faultText(body)}`, status);
    if (body.method !== 'InformResponse') throw new SessionFailure('protocol', `expected InformResponse, got ${body.method}`);
    this.device.informAcknowledged();
    this.informAcknowledged = true;
    const use = envelope.header.useCwmpVersion as CwmpVersion | undefined;
    if (use !== undefined && use in CWMP_NAMESPACES) this.namespace = CWMP_NAMESPACES[use];
    return envelope.header.holdRequests === true;
  }

  /** One TransferComplete per finished transfer; a fault leaves the rest for the next session. */
  private async sendTransferCompletes(): Promise<void> {
    for (const tc of this.device.transferCompletes()) {
      const { body } = await this.request(tc, {});
      if (body.method === 'Fault') return;
      if (body.method !== 'TransferCompleteResponse') throw new SessionFailure('protocol', `expected TransferCompleteResponse, got ${body.method}`);
      this.device.transferCompleteAcknowledged(tc);
      this.transferCompletes += 1;
    }
  }

  /** Empty POST, then answer the ACS's requests until it sends 204. */
  private async answerAcs(): Promise<void> {
    let res = await this.transport.post('', false);
    for (;;) {
      if (res.status === 204) return;
      if (this.acsRequests.length >= this.opts.maxAcsRequests) {
        throw new SessionFailure('protocol', `the ACS sent more than ${this.opts.maxAcsRequests} requests in one session`);
      }
      const reply = this.answer(res);
      res = await this.transport.post(this.encode(reply.body, reply.id), false);
    }
  }

  /** The device's answer to the ACS request in `res`, with the ID to echo. */
  private answer(res: HttpResponse): { body: CpeResponse | Fault; id: string | undefined } {
    expectXml(res, [200]);
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(res.body);
    } catch (err) {
      // A well-formed request the device cannot run still gets its fault, as on a real CPE.
      if (err instanceof CwmpDecodeError && (err.kind === 'unknown-method' || err.kind === 'invalid-argument')) {
        this.acsRequests.push(err.methodName ?? '?');
        const code = err.kind === 'unknown-method' ? 9000 : 9003;
        return { body: cpeFault(code, err.message), id: err.id };
      }
      throw decodeFailure(err);
    }
    const body = envelope.body;
    if (!ACS_REQUEST_METHODS.has(body.method)) throw new SessionFailure('protocol', `expected an ACS request, got ${body.method}`);
    this.acsRequests.push(body.method);
    return { body: this.device.handle(body as AcsRequest), id: envelope.header.id };
  }

  /** POSTs a CPE request and decodes the answer (200, or 500 carrying a SOAP fault). */
  private async request(body: CpeRequest, header: EnvelopeHeader): Promise<{ envelope: Envelope; body: CwmpMessage; status: number }> {
    const id = this.opts.emptyId ? '' : this.opts.nextId();
    const res = await this.transport.post(this.encode(body, id, header), true);
    expectXml(res, [200, 500]);
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(res.body);
    } catch (err) {
      throw decodeFailure(err, res.status);
    }
    if (res.status === 500 && envelope.body.method !== 'Fault') {
      throw new SessionFailure('http-status', `HTTP 500 carrying ${envelope.body.method}`, 500);
    }
    if ((envelope.header.id ?? '') !== id) {
      throw new SessionFailure('protocol', `the ACS answered ID ${JSON.stringify(id)} with ID ${JSON.stringify(envelope.header.id)}`);
    }
    return { envelope, body: envelope.body, status: res.status };
  }

  private encode(body: CwmpMessage, id: string | undefined, header: EnvelopeHeader = {}): string {
    return encodeEnvelope({ namespace: this.namespace, header: { ...header, id }, body }, { booleanLiteral: this.opts.booleanLiteral });
  }
}

/** Accepts `statuses` with a text/xml body; anything else fails the session. */
function expectXml(res: HttpResponse, statuses: number[]): void {
  if (!statuses.includes(res.status)) {
    const retryAfter = parseRetryAfter(headerList(res.headers['retry-after'])[0]);
    const said = res.body.trim().replace(/\s+/g, ' ').slice(0, 200);
    throw new SessionFailure('http-status', `the ACS answered HTTP ${res.status}${said ? `: ${said}` : ''}`, res.status, retryAfter);
  }
  const type = headerList(res.headers['content-type'])[0] ?? '';
  if (res.status === 500 && (res.body.trim() === '' || !/^text\/xml\b/i.test(type))) {
    throw new SessionFailure('http-status', 'the ACS answered HTTP 500', 500);
  }
  if (res.body.trim() === '') {
    throw new SessionFailure('protocol', `HTTP ${res.status} with an empty body (an empty answer must be 204)`, res.status);
  }
  if (!/^text\/xml\b/i.test(type)) throw new SessionFailure('protocol', `HTTP ${res.status} with Content-Type ${JSON.stringify(type)}, not text/xml`, res.status);
}

/** Retry-After as seconds (delta-seconds or HTTP-date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function faultText(f: Fault): string {
  return `${f.detail.faultCode} (${f.detail.faultString})`;
}

function decodeFailure(err: unknown, status?: number): SessionFailure {
  const message = err instanceof Error ? err.message : String(err);
  return new SessionFailure('protocol', `undecodable message from the ACS: ${message}`, status);
}

function asFailure(err: unknown): SessionFailure {
  if (err instanceof SessionFailure) return err;
  return new SessionFailure('internal', `simulator error: ${err instanceof Error ? err.message : String(err)}`);
}
