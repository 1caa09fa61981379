import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import type { Tr111Identity } from '../../devices/types';
import { BBF_ENTERPRISE, DhcpDecodeError, cwmpBlock, decodeOption125, readTr111Identity, type VendorBlock } from '../../dhcp';
import { AUTH_SCHEMES, CWMP_VERSIONS, DEFAULT_PRODUCT_CLASS, Fleet, PRODUCTS, type AuthScheme, type CwmpVersion, type FleetOptions, type Quirks, type StatsSummary } from '../../sim';
import type { LocalCredentials } from '../../local/credentials';
import { localAcs } from '../../local';
import { integerFlag } from '../api/flags';
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
  crUsername?: string;
  crPassword?: string;
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
  ca?: string;
  clientCert?: string;
  clientKey?: string;
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
  return value === undefined ? undefined : integerFlag(flag, value, min, max);
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

/** The ACS `npm start` of this checkout runs, and the credentials it generated. */
export interface LocalSimTarget {
  cwmpUrl?: string;
  credentials?: LocalCredentials;
}

/**
 * Checks every option and builds the fleet's configuration; a bad value is a UsageError naming
 * it. Without --acs-url the phones go to the local ACS, with the credentials it knows.
 */
export function parseSimOptions(raw: RawSimOptions, local?: LocalSimTarget): SimRun {
  const toLocal = raw.acsUrl === undefined && local?.cwmpUrl !== undefined;
  const acsUrl = raw.acsUrl ?? local?.cwmpUrl;
  if (acsUrl === undefined) throw new UsageError('--acs-url is required: no local ACS of this checkout is running (start one with `npm start`) to default to');
  let url: URL | undefined;
  try {
    url = new URL(acsUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UsageError(`--acs-url must be an http(s) URL, got ${JSON.stringify(acsUrl)}`);
  const creds = toLocal ? local?.credentials : undefined;
  if (raw.crUsername !== undefined && raw.crPassword === undefined) throw new UsageError('--cr-username needs --cr-password');

  const productClasses = (raw.productClass ?? DEFAULT_PRODUCT_CLASS).split(',').map((s) => s.trim());
  for (const pc of productClasses) {
    if (!PRODUCTS[pc]) throw new UsageError(`--product-class: unknown ${JSON.stringify(pc)} (known: ${Object.keys(PRODUCTS).join(', ')})`);
  }
  const auth = oneOf<AuthScheme>('--auth', raw.auth, AUTH_SCHEMES) ?? (creds ? 'digest' : 'none');
  const username = raw.username ?? creds?.device.username;
  const password = raw.password ?? (raw.username === undefined ? creds?.device.password : undefined);
  if (auth !== 'none' && username === undefined) throw new UsageError(`--auth ${auth} needs --username (and --password)`);
  const crUsername = raw.crUsername ?? creds?.connectionRequest.username;
  const crPassword = raw.crPassword ?? (raw.crUsername === undefined ? creds?.connectionRequest.password : undefined);
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
  if ((raw.clientCert === undefined) !== (raw.clientKey === undefined)) throw new UsageError('--client-cert and --client-key go together');
  const pem = (flag: string, file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${flag} ${JSON.stringify(file)} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const tls = { ca: pem('--ca', raw.ca), cert: pem('--client-cert', raw.clientCert), key: pem('--client-key', raw.clientKey) };
  return {
    fleet: {
      acsUrl: url.href,
      count: integer('--count', raw.count, 1, 1_000_000) ?? 1,
      productClass: productClasses[0],
      perDevice: productClasses.length > 1 ? (i) => ({ productClass: productClasses[i % productClasses.length] }) : undefined,
      cwmpVersion: oneOf<CwmpVersion>('--cwmp-version', raw.cwmpVersion, CWMP_VERSIONS) ?? '1.2',
      auth,
      username: username ?? '',
      password: password ?? '',
      ...(crUsername !== undefined && crPassword !== undefined ? { connectionRequestUsername: crUsername, connectionRequestPassword: crPassword } : {}),
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
      ...(tls.ca !== undefined || tls.cert !== undefined ? { tls } : {}),
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
    .option('--acs-url <url>', 'ACS URL the phones inform (default: the local ACS `npm start` runs, with its device credential)')
    .option('--count <n>', 'number of phones', '1')
    .option('--product-class <list>', `product class, or a comma-separated mix (${Object.keys(PRODUCTS).length} known)`, DEFAULT_PRODUCT_CLASS)
    .option('--cwmp-version <v>', `CWMP version: ${CWMP_VERSIONS.join(', ')}`, '1.2')
    .option('--auth <scheme>', `HTTP authentication toward the ACS: ${AUTH_SCHEMES.join(', ')} (default none; digest toward the local ACS)`)
    .option('--username <u>', 'ManagementServer.Username')
    .option('--password <p>', 'ManagementServer.Password')
    .option('--cr-username <u>', 'ConnectionRequestUsername of every phone (default: the serial number; the local ACS\'s own)')
    .option('--cr-password <p>', 'ConnectionRequestPassword of every phone (default: derived from --seed; the local ACS\'s own)')
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
    .option('--ca <file>', 'https ACS: trust only the CAs in this PEM file (e.g. from `acs certs ca`)')
    .option('--client-cert <file>', 'https ACS: client certificate every phone presents (PEM; `acs certs device`)')
    .option('--client-key <file>', 'its private key (PEM)')
    .option('--json', 'print the final statistics as JSON on stdout')
    .action(async (raw: RawSimOptions) => {
      const run = parseSimOptions(raw, localAcs());
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

const HINTS: Record<string, string> = {
  '401': 'the ACS refused the device credential: check --username/--password (the local ACS keeps its own in .data/credentials.json)',
  '403': 'the ACS refuses devices it does not know (ACS_CWMP_ACCEPT_UNKNOWN=false)',
  '429': 'the ACS refuses this address after too many failed logins (ACS_CWMP_AUTH_FAIL_LIMIT within ACS_CWMP_AUTH_FAIL_WINDOW)',
  '503': 'the ACS is busy (ACS_CWMP_MAX_CONCURRENT) or the device was already in a session',
  refused: 'nothing listens at --acs-url: is the ACS running?',
  timeout: 'the ACS did not answer in time',
};

/** `401: 20, refused: 3`: failed sessions by cause. */
function failureCounts(s: StatsSummary): string {
  return Object.entries(s.sessions.failures)
    .sort((a, b) => b[1].count - a[1].count)
    .map(([label, f]) => `${label}: ${f.count}`)
    .join(', ');
}

function progressLine(s: StatsSummary): string {
  const failures = failureCounts(s);
  return `sessions ok ${s.sessions.ok}, failed ${s.sessions.failed}${failures ? ` (${failures})` : ''}, ${s.sessionsPerSecond.toFixed(1)}/s, p50 ${s.latencyMs.p50.toFixed(0)} ms`;
}

export function formatSummary(s: StatsSummary): string {
  const failures = failureCounts(s);
  const why = Object.entries(s.sessions.failures).map(([label, f]) => `  ${label}: ${HINTS[label] ?? f.detail}${HINTS[label] && f.detail ? ` (${f.detail})` : ''}`);
  const lines = [
    `phones:              ${s.devices}`,
    `sessions:            ${s.sessions.ok} ok, ${s.sessions.failed} failed${failures ? ` (${failures})` : ''}`,
    ...why,
    `session latency ms:  p50 ${s.latencyMs.p50.toFixed(1)}, p90 ${s.latencyMs.p90.toFixed(1)}, p99 ${s.latencyMs.p99.toFixed(1)}, max ${s.latencyMs.max.toFixed(1)}`,
    `rate:                ${s.sessionsPerSecond.toFixed(1)} sessions/s over ${(s.elapsedMs / 1000).toFixed(1)} s`,
    `HTTP:                ${s.httpRequests} requests; ${Object.entries(s.httpStatus).map(([code, n]) => `${code}: ${n}`).join(', ') || 'no responses'}`,
    `ACS requests:        ${s.acsRequests}; TransferCompletes: ${s.transferCompletes}`,
    `connection requests: ${s.connectionRequests.accepted} accepted, ${s.connectionRequests.unauthorized} unauthorized, ${s.connectionRequests.rateLimited} rate-limited`,
  ];
  return `${lines.join('\n')}\n`;
}
