import { CommanderError, type Command } from 'commander';
import type { Tr111Identity } from '../../devices/types';
import { BBF_ENTERPRISE, DhcpDecodeError, cwmpBlock, decodeOption125, readTr111Identity, type VendorBlock } from '../../dhcp';
import { AUTH_SCHEMES, CWMP_VERSIONS, DEFAULT_PRODUCT_CLASS, Fleet, PRODUCTS, type AuthScheme, type CwmpVersion, type FleetOptions, type Quirks, type StatsSummary } from '../../sim';
import { UsageError } from '../errors';

/** Options as commander hands them over: strings, or true for flags. */
export interface RawSimOptions {
  acsUrl?: string;
  count?: string;
  productClass?: string;
  cwmpVersion?: string;
  auth?: string;
  username?: string;
  password?: string;
  interval?: string;
  crPort?: string;
  crHost?: string;
  serialPrefix?: string;
  seed?: string;
  sessions?: string;
  concurrency?: string;
  duration?: string;
  quirks?: string;
  failDownloads?: boolean;
  fullCwmp?: boolean;
  dhcpOption125?: string;
  json?: boolean;
}

export interface SimRun {
  fleet: FleetOptions;
  /** benchmark mode: sessions per device */
  sessions?: number;
  concurrency: number;
  /** stop after this many seconds */
  duration?: number;
  json: boolean;
}

const QUIRK_NAMES: ReadonlyArray<keyof Quirks> = ['booleanDigits', 'noCookies', 'emptyId', 'connectionPerRequest'];

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

const OPTION_125 = '--dhcp-option125';
const GATEWAY_TEXT = /^[\x20-\x7e]{1,64}$/;

/**
 * The TR-111 gateway identity (enterprise 3561, sub-options 4-6) in option 125 data of a lease,
 * given as hex the way udhcpc's $opt125 or `acs dhcp --format hex` print it.
 */
export function parseGatewayOption125(hex: string): Tr111Identity {
  const digits = hex.trim().replace(/:/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(digits)) {
    throw new UsageError(`${OPTION_125} must be hex bytes, optionally colon-separated, got ${JSON.stringify(hex)}`);
  }
  let blocks: VendorBlock[];
  try {
    blocks = decodeOption125(Buffer.from(digits, 'hex'));
  } catch (err) {
    if (err instanceof DhcpDecodeError) throw new UsageError(`${OPTION_125}: ${err.message}`);
    throw err;
  }
  const block = cwmpBlock(blocks);
  if (!block) throw new UsageError(`${OPTION_125} has no block of enterprise ${BBF_ENTERPRISE} (TR-111)`);
  const id = readTr111Identity(block, 'v4');
  if (id.gatewayManufacturerOUI === undefined || id.gatewaySerialNumber === undefined) {
    throw new UsageError(`${OPTION_125} names no gateway: TR-111 sub-options 4 (OUI) and 5 (serial number) under enterprise ${BBF_ENTERPRISE} are both required`);
  }
  const gateway = { oui: id.gatewayManufacturerOUI, serialNumber: id.gatewaySerialNumber, productClass: id.gatewayProductClass ?? '' };
  if (!/^[0-9A-Fa-f]{6}$/.test(gateway.oui)) throw new UsageError(`${OPTION_125}: gateway OUI ${JSON.stringify(gateway.oui)} must be 6 hex digits`);
  for (const [what, value] of [['serial number', gateway.serialNumber], ['product class', gateway.productClass]] as const) {
    if (value !== '' && !GATEWAY_TEXT.test(value)) {
      throw new UsageError(`${OPTION_125}: gateway ${what} ${JSON.stringify(value)} must be 1 to 64 printable ASCII characters`);
    }
  }
  return gateway;
}

/** Checks every option and builds the fleet's configuration; a bad value is a UsageError naming it. */
export function parseSimOptions(raw: RawSimOptions): SimRun {
  if (raw.acsUrl === undefined) throw new UsageError('--acs-url is required');
  let url: URL | undefined;
  try {
    url = new URL(raw.acsUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UsageError(`--acs-url must be an http(s) URL, got ${JSON.stringify(raw.acsUrl)}`);

  const productClasses = (raw.productClass ?? DEFAULT_PRODUCT_CLASS).split(',').map((s) => s.trim());
  for (const pc of productClasses) {
    if (!PRODUCTS[pc]) throw new UsageError(`--product-class: unknown ${JSON.stringify(pc)} (known: ${Object.keys(PRODUCTS).join(', ')})`);
  }
  const auth = oneOf<AuthScheme>('--auth', raw.auth, AUTH_SCHEMES) ?? 'none';
  if (auth !== 'none' && raw.username === undefined) throw new UsageError(`--auth ${auth} needs --username (and --password)`);
  const serialPrefix = raw.serialPrefix ?? 'FCH';
  if (!/^[A-Za-z0-9]{0,16}$/.test(serialPrefix)) throw new UsageError(`--serial-prefix must be up to 16 letters or digits, got ${JSON.stringify(serialPrefix)}`);
  if (raw.crHost !== undefined && raw.crHost.trim() === '') throw new UsageError('--cr-host must not be empty');
  const quirks: Partial<Quirks> = {};
  for (const q of raw.quirks?.split(',').map((s) => s.trim()) ?? []) {
    if (!QUIRK_NAMES.includes(q as keyof Quirks)) throw new UsageError(`--quirks: unknown ${JSON.stringify(q)} (known: ${QUIRK_NAMES.join(', ')})`);
    quirks[q as keyof Quirks] = true;
  }
  const sessions = integer('--sessions', raw.sessions, 1, 1_000_000);
  const concurrency = integer('--concurrency', raw.concurrency, 1, 100_000) ?? 100;
  let duration: number | undefined;
  if (raw.duration !== undefined) {
    duration = Number(raw.duration);
    if (!(Number.isFinite(duration) && duration > 0)) throw new UsageError(`--duration must be a positive number of seconds, got ${JSON.stringify(raw.duration)}`);
  }
  const bench = sessions !== undefined;
  return {
    fleet: {
      acsUrl: url.href,
      count: integer('--count', raw.count, 1, 1_000_000) ?? 1,
      productClass: productClasses[0],
      perDevice: productClasses.length > 1 ? (i) => ({ productClass: productClasses[i % productClasses.length] }) : undefined,
      cwmpVersion: oneOf<CwmpVersion>('--cwmp-version', raw.cwmpVersion, CWMP_VERSIONS) ?? '1.2',
      auth,
      username: raw.username ?? '',
      password: raw.password ?? '',
      periodicInformInterval: integer('--interval', raw.interval, 1, 2 ** 32 - 1),
      crPort: integer('--cr-port', raw.crPort, 0, 65535),
      crHost: raw.crHost,
      serialPrefix,
      seed: raw.seed,
      quirks,
      failDownloads: raw.failDownloads ?? false,
      fullCwmp: raw.fullCwmp ?? false,
      gateway: raw.dhcpOption125 === undefined ? undefined : parseGatewayOption125(raw.dhcpOption125),
      concurrency,
      periodic: !bench,
      bootOnStart: !bench,
      retry: !bench,
    },
    sessions,
    concurrency,
    duration,
    json: raw.json ?? false,
  };
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('simulate a fleet of Cisco MPP phones talking CWMP to an ACS')
    .option('--acs-url <url>', 'ACS URL the phones inform (required)')
    .option('--count <n>', 'number of phones', '1')
    .option('--product-class <list>', `product class, or a comma-separated mix (${Object.keys(PRODUCTS).length} known)`, DEFAULT_PRODUCT_CLASS)
    .option('--cwmp-version <v>', `CWMP version: ${CWMP_VERSIONS.join(', ')}`, '1.2')
    .option('--auth <scheme>', `HTTP authentication toward the ACS: ${AUTH_SCHEMES.join(', ')}`, 'none')
    .option('--username <u>', 'ManagementServer.Username')
    .option('--password <p>', 'ManagementServer.Password')
    .option('--interval <s>', 'PeriodicInformInterval, seconds', '20')
    .option('--cr-port <p>', 'connection-request listener port (0 = any)', '0')
    .option('--cr-host <h>', 'connection-request listener address', '127.0.0.1')
    .option('--serial-prefix <x>', 'serial number prefix', 'FCH')
    .option('--seed <s>', 'seed for serial numbers, MACs and connection-request passwords')
    .option('--quirks <list>', `misbehave on purpose: ${QUIRK_NAMES.join(', ')}`)
    .option('--fail-downloads', 'every Download fails with 9010')
    .option('--full-cwmp', 'also serve Upload, ScheduleInform, ScheduleDownload, CancelTransfer, Get(All)QueuedTransfers')
    .option(`${OPTION_125} <hex>`, 'option 125 of the phones\' DHCP lease: its TR-111 gateway identity fills Device.GatewayInfo')
    .option('--sessions <k>', 'benchmark: every phone runs k sessions back to back, then exit')
    .option('--concurrency <c>', 'sessions in flight at once', '100')
    .option('--duration <s>', 'stop after this many seconds')
    .option('--json', 'print the final statistics as JSON on stdout')
    .action(async (raw: RawSimOptions) => {
      const run = parseSimOptions(raw);
      const summary = await runSim(run);
      process.stdout.write(run.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
      if (summary.sessions.ok === 0 && summary.sessions.failed > 0) {
        throw new CommanderError(1, 'acs.sim.failed', 'every session failed');
      }
    });
}

async function runSim(run: SimRun): Promise<StatsSummary> {
  const fleet = new Fleet(run.fleet);
  await fleet.start();
  const mode = run.sessions !== undefined ? `${run.sessions} session(s) per phone, concurrency ${run.concurrency}` : 'periodic informs';
  const cr = fleet.connectionRequestPort !== undefined ? `, connection requests on port ${fleet.connectionRequestPort}` : '';
  process.stderr.write(`acs sim: ${fleet.devices.length} phone(s) -> ${run.fleet.acsUrl} (${mode}${cr})\n`);
  const progress = setInterval(() => process.stderr.write(`acs sim: ${progressLine(fleet.summary())}\n`), 5_000);
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = run.duration !== undefined ? setTimeout(stop, run.duration * 1000) : undefined;
  try {
    await Promise.race([run.sessions !== undefined ? fleet.runSessions(run.sessions, run.concurrency) : new Promise(() => undefined), stopped]);
  } finally {
    clearInterval(progress);
    clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await fleet.stop();
  }
  return fleet.summary();
}

function progressLine(s: StatsSummary): string {
  return `sessions ok ${s.sessions.ok}, failed ${s.sessions.failed}, ${s.sessionsPerSecond.toFixed(1)}/s, p50 ${s.latencyMs.p50.toFixed(0)} ms`;
}

export function formatSummary(s: StatsSummary): string {
  const reasons = Object.entries(s.sessions.byReason).map(([r, n]) => `${r} ${n}`);
  const lines = [
    `phones:              ${s.devices}`,
    `sessions:            ${s.sessions.ok} ok, ${s.sessions.failed} failed${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
    `session latency ms:  p50 ${s.latencyMs.p50.toFixed(1)}, p90 ${s.latencyMs.p90.toFixed(1)}, p99 ${s.latencyMs.p99.toFixed(1)}, max ${s.latencyMs.max.toFixed(1)}`,
    `rate:                ${s.sessionsPerSecond.toFixed(1)} sessions/s over ${(s.elapsedMs / 1000).toFixed(1)} s`,
    `HTTP:                ${s.httpRequests} requests; ${Object.entries(s.httpStatus).map(([code, n]) => `${code}: ${n}`).join(', ') || 'no responses'}`,
    `ACS requests:        ${s.acsRequests}; TransferCompletes: ${s.transferCompletes}`,
    `connection requests: ${s.connectionRequests.accepted} accepted, ${s.connectionRequests.unauthorized} unauthorized, ${s.connectionRequests.rateLimited} rate-limited`,
  ];
  return `${lines.join('\n')}\n`;
}
