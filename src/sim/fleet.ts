import { EventEmitter, setMaxListeners } from 'node:events';
import type { ConnectionOptions } from 'node:tls';
import { Agent } from 'undici';
import { ConnectionRequestListener } from './connection-request';
import { DEFAULT_OUI, deriveIdentity, PRODUCTS, productTree, type DeviceIdentity } from './datamodel';
import { Device } from './device';
import { factorySettings } from './factory';
import { FleetDevice, type FleetContext } from './fleet-device';
import { AUTH_SCHEMES } from './http/client-auth';
import { ConnectionPool } from './http/connection-pool';
import { Limiter } from './limiter';
import type { SessionOutcome } from './outcome';
import { deviceProfile, type DeviceProfile, type Quirks } from './profile';
import { CWMP_VERSIONS } from './session';
import { FleetStats, type StatsSummary } from './stats';
import type { TransferHooks } from './transfer';

export interface FleetOptions extends Partial<Omit<DeviceProfile, 'quirks'>> {
  /** ManagementServer.URL at the factory */
  acsUrl: string;
  /** number of devices (default 1) */
  count?: number;
  quirks?: Partial<Quirks>;
  /** identities (serials, MACs) are a function of index and seed */
  seed?: string;
  /** SerialNumber prefix (default "FCH", as on Cisco phones) */
  serialPrefix?: string;
  oui?: string;
  /** per-device deviations from the fleet-wide profile (product mix, versions, quirks, credentials) */
  perDevice?: (index: number, identity: DeviceIdentity) => Partial<DeviceProfile>;
  /** sessions in flight at once across the fleet (default 100) */
  concurrency?: number;
  /** run the connection-request listener (default true) */
  connectionRequests?: boolean;
  /** listener address (default 127.0.0.1) and port (default 0 = any) */
  crHost?: string;
  crPort?: number;
  /** host written into ConnectionRequestURL (default crHost) */
  crAdvertisedHost?: string;
  crMaxPerSecond?: number;
  /** periodic informs at each device's PeriodicInformInterval (default false) */
  periodic?: boolean;
  /** every device opens its BOOTSTRAP session at start (default false) */
  bootOnStart?: boolean;
  /** retry failed sessions with the TR-069 back-off (default true) */
  retry?: boolean;
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  maxDownloadBytes?: number;
  maxAcsRequests?: number;
  /** SessionTimeout announced by CWMP 1.3/1.4 devices, seconds (default 30) */
  sessionTimeout?: number;
  hooks?: TransferHooks;
  /**
   * TLS of https ACS and file URLs: `ca` the only CAs trusted (default: Node's), `cert`/`key` a
   * client certificate every device of the fleet presents (give a fleet of one its own).
   */
  tls?: Pick<ConnectionOptions, 'ca' | 'cert' | 'key'>;
}

export interface FleetEvents {
  session: [device: FleetDevice, outcome: SessionOutcome];
}

const DEFAULTS = {
  count: 1,
  seed: 'acs-sim',
  serialPrefix: 'FCH',
  concurrency: 100,
  requestTimeoutMs: 30_000,
  maxResponseBytes: 4 * 1024 * 1024,
  maxDownloadBytes: 64 * 1024 * 1024,
  maxAcsRequests: 10_000,
  sessionTimeout: 30,
  crMaxPerSecond: 5,
};

/**
 * Many simulated Cisco MPP phones in one process, sharing one keep-alive HTTP pool, one
 * connection-request listener and a bound on concurrent sessions.
 *
 * ```ts
 * const fleet = new Fleet({ acsUrl, count: 10, auth: 'digest', username, password });
 * await fleet.start();
 * const first = await fleet.device(0).runSession();      // 0 BOOTSTRAP + 1 BOOT
 * fleet.device(0).model.get('Device.DeviceInfo.SoftwareVersion');
 * await fleet.device(0).nextSession((o) => o.events.includes('6 CONNECTION REQUEST'));
 * await fleet.stop();
 * ```
 */
export class Fleet extends EventEmitter<FleetEvents> {
  readonly options: Readonly<FleetOptions>;
  private readonly profile: DeviceProfile;
  private readonly stats = new FleetStats();
  private readonly abort = new AbortController();
  private readonly agent: Agent;
  private readonly connections: ConnectionPool;
  private readonly limiter: Limiter;
  private readonly ctx: FleetContext;
  private listener: ConnectionRequestListener | undefined;
  private list: FleetDevice[] = [];
  private state: 'new' | 'started' | 'stopped' = 'new';

  constructor(options: FleetOptions) {
    super();
    this.options = options;
    this.profile = deviceProfile(options);
    checkProfile(this.profile);
    if (!URL.canParse(options.acsUrl)) throw new RangeError(`acsUrl ${JSON.stringify(options.acsUrl)} is not a URL`);
    const count = options.count ?? DEFAULTS.count;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    const concurrency = options.concurrency ?? DEFAULTS.concurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    // Every request in flight listens on the fleet's abort signal.
    setMaxListeners(0, this.abort.signal);
    this.limiter = new Limiter(concurrency);
    this.agent = new Agent({ pipelining: 1, connect: options.tls ?? {} });
    this.connections = new ConnectionPool(concurrency, options.tls);
    const fleet = this;
    this.ctx = {
      limiter: this.limiter,
      connections: this.connections,
      dispatcher: this.agent,
      signal: this.abort.signal,
      get stopped() {
        return fleet.state === 'stopped';
      },
      periodic: options.periodic ?? false,
      retry: options.retry ?? true,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      maxDownloadBytes: options.maxDownloadBytes ?? DEFAULTS.maxDownloadBytes,
      maxAcsRequests: options.maxAcsRequests ?? DEFAULTS.maxAcsRequests,
      sessionTimeout: options.sessionTimeout ?? DEFAULTS.sessionTimeout,
      hooks: options.hooks ?? {},
      sessionDone: (device, outcome) => {
        this.stats.record(outcome);
        this.emit('session', device, outcome);
      },
      httpStatus: (code) => this.stats.status(code),
    };
  }

  /** Opens the connection-request listener and creates the devices. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`the fleet is already ${this.state}`);
    const o = this.options;
    if (o.connectionRequests ?? true) {
      this.listener = new ConnectionRequestListener({
        host: o.crHost,
        port: o.crPort,
        advertisedHost: o.crAdvertisedHost,
        maxPerSecond: o.crMaxPerSecond ?? DEFAULTS.crMaxPerSecond,
      });
      await this.listener.start();
    }
    const count = o.count ?? DEFAULTS.count;
    const seed = o.seed ?? DEFAULTS.seed;
    const oui = o.oui ?? DEFAULT_OUI;
    for (let i = 0; i < count; i++) this.list.push(this.createDevice(i, seed, oui));
    this.state = 'started';
    for (const d of this.list) d.start(o.bootOnStart ?? false, ((d.index + 1) * 0.6180339887) % 1);
  }

  device(index: number): FleetDevice {
    const d = this.list[index];
    if (!d) throw new RangeError(`no device ${index} (the fleet has ${this.list.length}${this.state === 'new' ? ', not started' : ''})`);
    return d;
  }

  get devices(): readonly FleetDevice[] {
    return this.list;
  }

  /** The listener's port, once started (undefined without connection requests). */
  get connectionRequestPort(): number | undefined {
    return this.listener?.port;
  }

  summary(): StatsSummary {
    return this.stats.summary(this.list.length, this.listener?.stats ?? { accepted: 0, unauthorized: 0, notFound: 0, rateLimited: 0 });
  }

  /** Raw latencies of successful sessions, ms, in completion order. */
  get latencies(): readonly number[] {
    return this.stats.latencies;
  }

  /**
   * Benchmark mode: every device runs `sessionsPerDevice` sessions back to back, at most
   * `concurrency` devices at a time. Resolves with the statistics when all are done.
   */
  async runSessions(sessionsPerDevice: number, concurrency: number): Promise<StatsSummary> {
    if (this.state !== 'started') throw new Error('start the fleet first');
    let next = 0;
    const worker = async () => {
      while (next < this.list.length && this.state === 'started') {
        const device = this.list[next++];
        for (let j = 0; j < sessionsPerDevice && this.state === 'started'; j++) await device.runSession().catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, this.list.length) }, worker));
    return this.summary();
  }

  /**
   * Stops timers, lets sessions in flight finish for up to `graceMs`, aborts the rest, then
   * closes the listener and the HTTP pool.
   */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    for (const d of this.list) d.stop();
    const idle = Promise.all(this.list.map((d) => d.idle()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      idle.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.abort.abort();
      await idle;
    }
    await this.listener?.close();
    await this.connections.close();
    await this.agent.destroy();
  }

  private createDevice(index: number, seed: string, oui: string): FleetDevice {
    const identity = deriveIdentity(index, seed, this.options.serialPrefix ?? DEFAULTS.serialPrefix, oui);
    let profile = this.profile;
    if (this.options.perDevice) {
      const own = this.options.perDevice(index, identity);
      profile = { ...profile, ...own, quirks: { ...profile.quirks, ...own.quirks } };
      checkProfile(profile);
    }
    const factory = factorySettings(identity, profile, { acsUrl: this.options.acsUrl, oui, seed });
    const cpe = new Device({ tree: productTree(profile.productClass, profile.lines), factory, fullCwmp: profile.fullCwmp, gateway: profile.gateway });
    const device = new FleetDevice(index, cpe, profile, this.ctx);
    if (this.listener) factory.connectionRequestUrl = this.listener.register(device);
    return device;
  }
}

function checkProfile(p: DeviceProfile): void {
  if (!PRODUCTS[p.productClass]) {
    throw new RangeError(`unknown product class ${JSON.stringify(p.productClass)} (known: ${Object.keys(PRODUCTS).join(', ')})`);
  }
  if (!CWMP_VERSIONS.includes(p.cwmpVersion)) throw new RangeError(`unknown CWMP version ${JSON.stringify(p.cwmpVersion)}`);
  if (!AUTH_SCHEMES.includes(p.auth)) throw new RangeError(`unknown auth scheme ${JSON.stringify(p.auth)}`);
  if (!Number.isInteger(p.periodicInformInterval) || p.periodicInformInterval < 1) {
    throw new RangeError(`periodicInformInterval must be a positive integer, got ${p.periodicInformInterval}`);
  }
}
