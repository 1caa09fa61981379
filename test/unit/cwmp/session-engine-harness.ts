import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../../src/config';
import { DeviceAuthenticator } from '../../../src/cwmp/auth/device-auth';
import { NonceIssuer, answerChallenge, pickChallenge } from '../../../src/cwmp/auth/digest';
import { SessionEngine, type CwmpReply, type CwmpRequest } from '../../../src/cwmp/session/engine';
import type { SessionObserver } from '../../../src/cwmp/session/observer';
import type { Reconciler } from '../../../src/cwmp/session/reconciler';
import { InflightSweeper } from '../../../src/cwmp/session/sweeper';
import { decodeEnvelope, encodeEnvelope } from '../../../src/cwmp/soap';
import { CWMP_NAMESPACES, type AcsRequest, type CwmpMessage, type Envelope, type EnvelopeHeader, type Inform } from '../../../src/cwmp/soap/types';
import { SessionTraceRecorder } from '../../../src/cwmp/trace';
import { deviceKey } from '../../../src/devices/id';
import { createLogger } from '../../../src/log';
import type { Device } from '../../../src/sim';
import { ManualClock } from '../../support/memory/clock';
import { MemoryAuthState } from '../../support/memory/auth-state';
import { MemoryDevices } from '../../support/memory/devices';
import { MemoryMacs } from '../../support/memory/macs';
import { MemoryObserver } from '../../support/memory/observer';
import { MemorySearch } from '../../support/memory/search';
import { MemorySessions } from '../../support/memory/sessions';
import { MemoryTasks } from '../../support/memory/tasks';
import { MemoryTraceStore } from '../../support/memory/trace';
import { newDevice } from '../sim/support';

export const NS = CWMP_NAMESPACES['1.2'];
export const USER = { username: 'acs-user', password: 'right password' };

/**
 * A SessionEngine on the in-memory stores, with everything a test looks at. `env` is
 * configuration as environment variables (ACS_CWMP_AUTH defaults to none here).
 */
export function engineOn(options: { env?: Record<string, string>; reconciler?: Reconciler; observer?: SessionObserver } = {}) {
  const config: Config = loadConfig({ LOG_LEVEL: 'silent', ACS_CWMP_AUTH: 'none', ...options.env });
  const cwmp = config.cwmp;
  const clock = new ManualClock(Date.now());
  const log = createLogger('silent');
  const devices = new MemoryDevices();
  const tasks = new MemoryTasks(devices);
  const authState = new MemoryAuthState(clock.now);
  const sessions = new MemorySessions(cwmp.sessionTimeoutSeconds * 1000, clock.now, authState);
  const macs = new MemoryMacs(devices);
  const search = new MemorySearch(devices);
  const traces = new MemoryTraceStore(config.trace);
  const observer = new MemoryObserver();
  const trace = new SessionTraceRecorder({ store: traces, sessions, log });
  const engine = new SessionEngine({
    config: cwmp,
    devices,
    tasks,
    sessions,
    auth: new DeviceAuthenticator(cwmp, new NonceIssuer(randomBytes(32), cwmp.nonceTtlSeconds * 1000), authState),
    log,
    reconciler: options.reconciler,
    macs,
    trace,
    observer: options.observer ?? observer,
    search,
  });
  const sweeper = new InflightSweeper(sessions, tasks, log);
  return { config, clock, devices, tasks, sessions, authState, macs, search, traces, observer, engine, sweeper };
}

export type Harness = ReturnType<typeof engineOn>;

let serials = 0;

/** A reply as the device reads it: the decoded SOAP message, when there is one. */
export interface Answer {
  reply: CwmpReply;
  env?: Envelope;
  message?: CwmpMessage;
}

/**
 * A simulated CPE (src/sim) talking to the engine as the HTTP layer would hand it requests:
 * it keeps the session cookie, answers the ACS's requests from its data model and, given
 * credentials, answers Digest challenges with a rising nonce count.
 */
export class TestCpe {
  readonly device: Device;
  readonly id: string;
  cookie?: string;
  source = '192.0.2.10';
  credentials?: { username: string; password: string };
  private challenge?: ReturnType<typeof pickChallenge>;
  private nc = 0;

  constructor(readonly h: Harness, device?: Device) {
    this.device = device ?? newDevice({ index: 50_000 + serials++ });
    const m = this.device.model;
    this.id = deviceKey({ oui: String(m.get('Device.DeviceInfo.ManufacturerOUI')), productClass: String(m.get('Device.DeviceInfo.ProductClass')), serialNumber: this.serialNumber });
  }

  get serialNumber(): string {
    return String(this.device.model.get('Device.DeviceInfo.SerialNumber'));
  }

  envelope(message: CwmpMessage, id = 'cpe-1', header: EnvelopeHeader = {}): string {
    return encodeEnvelope({ namespace: NS, header: { id, ...header }, body: message });
  }

  /** One HTTP request; `request` overrides what the CPE would send. */
  async post(body: string, request: Partial<CwmpRequest> = {}): Promise<Answer> {
    const reply = await this.h.engine.handle({ body, sessionId: this.cookie, uri: '/cwmp', source: this.source, authorization: this.authorization(), ...request });
    if (reply.setSession) this.cookie = reply.setSession;
    if (reply.status === 401 && reply.headers?.['WWW-Authenticate']) this.challenge = pickChallenge([reply.headers['WWW-Authenticate']].flat());
    if (!reply.body || !reply.contentType?.startsWith('text/xml')) return { reply };
    const env = decodeEnvelope(reply.body);
    return { reply, env, message: env.body };
  }

  /** The Authorization header for the next request: Digest once a challenge came, with the next nc. */
  authorization(): string | undefined {
    if (!this.credentials || !this.challenge) return undefined;
    this.nc += 1;
    return answerChallenge(this.challenge, { ...this.credentials, method: 'POST', uri: '/cwmp', nc: this.nc });
  }

  /** Opens a session; with credentials, first earns the challenge as a real CPE does. */
  async inform(inform: Inform = this.device.buildInform()): Promise<Answer> {
    this.cookie = undefined;
    const body = this.envelope(inform);
    let answer = await this.post(body);
    if (answer.reply.status === 401 && this.credentials) {
      this.nc = 0;
      answer = await this.post(body);
    }
    if (answer.message?.method === 'InformResponse') this.device.informAcknowledged();
    return answer;
  }

  empty(): Promise<Answer> {
    return this.post('');
  }

  /** The device's answer to the ACS request `to` carries. */
  respond(to: Answer): Promise<Answer> {
    const request = to.message as AcsRequest;
    return this.post(this.envelope(this.device.handle(request), to.env!.header.id));
  }

  /** After the InformResponse: the empty POST, then every ACS request answered, until the 204. */
  async finish(): Promise<{ requests: AcsRequest[]; last: Answer }> {
    const requests: AcsRequest[] = [];
    let answer = await this.empty();
    for (let i = 0; i < 100 && answer.reply.status === 200; i++) {
      requests.push(answer.message as AcsRequest);
      answer = await this.respond(answer);
    }
    return { requests, last: answer };
  }

  /** A whole session: Inform, the ACS's requests answered, the end. */
  async session(inform?: Inform): Promise<{ requests: AcsRequest[]; last: Answer }> {
    const opened = await this.inform(inform);
    if (opened.message?.method !== 'InformResponse') throw new Error(`Inform refused: ${opened.reply.status} ${opened.reply.body}`);
    return this.finish();
  }
}

/** A device that has had its first session. */
export async function knownCpe(h: Harness): Promise<TestCpe> {
  const cpe = new TestCpe(h);
  await cpe.session();
  return cpe;
}

/** A known device in a session whose one queued task (`rpc`) the ACS has just sent. */
export async function taskInFlight(h: Harness, rpc: AcsRequest) {
  const cpe = await knownCpe(h);
  const task = await h.tasks.queue(cpe.id, rpc);
  await cpe.inform();
  const request = await cpe.empty();
  return { cpe, task, request };
}

/** The CWMP fault code of an ACS fault reply. */
export function faultCode(answer: Answer): number | undefined {
  const m = answer.message;
  return m?.method === 'Fault' ? m.detail.faultCode : undefined;
}
