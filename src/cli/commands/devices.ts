import type { Command } from 'commander';
import { apiTarget, callApi, devicePath, withApiOptions, type ApiFlags } from '../api/client';
import { forEach } from '../api/bulk';
import { details, json, table } from '../api/output';
import { UsageError } from '../errors';

interface Device {
  id: string;
  deviceId?: { productClass?: string };
  softwareVersion?: string;
  lastInformAt?: string;
  hardwareVersion?: string;
  cwmpVersion?: string;
  remoteAddress?: string;
  lastBootAt?: string;
  registeredAt?: string;
  connectionRequestUrl?: string;
  parameterKey?: string;
  provisioningCode?: string;
  tags: string[];
  queuedTasks: string[];
  parameters?: Record<string, { value?: unknown }>;
  [key: string]: unknown;
}

interface ListFlags extends ApiFlags {
  productClass?: string;
  softwareVersion?: string;
  tag: string[];
  param: string[];
  id: string[];
  scan?: boolean;
  sort?: string;
  limit?: string;
  cursor?: string;
  fields?: string;
  all?: boolean;
  json?: boolean;
}

const collect = (v: string, list: string[]) => [...list, v];
const MAX_PAGES = 10_000;

/** `acs devices list|get|tag|untag|cr-auth|sessions|trace` against the operator API. */
export function register(program: Command): void {
  const devices = program.command('devices').description('devices known to the ACS (through the operator API)');
  withApiOptions(
    devices
      .command('list')
      .description('list devices, one page (or --all pages)')
      .option('--product-class <name>', 'product class')
      .option('--software-version <version>', 'software version')
      .option('--tag <tag>', 'carrying this tag (repeat: all of them)', collect, [])
      .option('--id <deviceId>', 'this device (repeat)', collect, [])
      .option('--param <NAME=VALUE>', 'parameter value last reported (repeat; needs --scan)', collect, [])
      .option('--scan', 'allow conditions without an index (reads every device)')
      .option('--sort <order>', 'id, lastInformAt, -lastInformAt, registeredAt, -registeredAt')
      .option('--limit <n>', 'devices per page (at most 1000)')
      .option('--cursor <cursor>', 'the page after this cursor')
      .option('--fields <paths>', 'comma-separated parameters to show as columns')
      .option('--all', 'follow every page')
      .option('--json', 'print JSON'),
  ).action(async (opts: ListFlags) => {
    const target = apiTarget(opts);
    const q = new URLSearchParams();
    if (opts.productClass) q.set('productClass', opts.productClass);
    if (opts.softwareVersion) q.set('softwareVersion', opts.softwareVersion);
    for (const t of opts.tag) q.append('tag', t);
    for (const i of opts.id) q.append('id', i);
    for (const p of opts.param) q.append('param', p);
    if (opts.scan) q.set('scan', 'true');
    if (opts.sort) q.set('sort', opts.sort);
    if (opts.limit) q.set('limit', opts.limit);
    if (opts.fields) q.set('fields', opts.fields);
    let cursor = opts.cursor ?? null;
    const items: Device[] = [];
    let next: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      if (cursor) q.set('cursor', cursor);
      const res = await callApi<{ items: Device[]; nextCursor: string | null }>(target, 'GET', `/devices?${q}`);
      items.push(...res.items);
      next = res.nextCursor;
      if (!opts.all || !next) break;
      cursor = next;
    }
    if (opts.json) return void process.stdout.write(json({ items, nextCursor: opts.all ? null : next }));
    const fields = opts.fields ? opts.fields.split(',').map((f) => f.trim()).filter(Boolean) : [];
    const rows = items.map((d) => [d.id, d.deviceId?.productClass, d.softwareVersion, d.lastInformAt, d.tags, d.queuedTasks.length, ...fields.map((f) => d.parameters?.[f]?.value)]);
    process.stdout.write(table(['ID', 'PRODUCT CLASS', 'SOFTWARE', 'LAST INFORM', 'TAGS', 'QUEUED', ...fields], rows));
    if (!opts.all && next) process.stdout.write(`more: --cursor ${next}\n`);
  });
  withApiOptions(
    devices
      .command('get <deviceId>')
      .description('one device: a summary, then its learned parameters')
      .option('--fields <paths>', 'comma-separated parameters or subtrees (ending in .) to show')
      .option('--json', 'print JSON'),
  ).action(async (id: string, opts: ApiFlags & { fields?: string; json?: boolean }) => {
    const q = opts.fields ? `?fields=${encodeURIComponent(opts.fields)}` : '';
    const device = await callApi<Device>(apiTarget(opts), 'GET', `${devicePath(id)}${q}`);
    if (opts.json) return void process.stdout.write(json(device));
    process.stdout.write(deviceSummary(device));
    const params = Object.entries(device.parameters ?? {});
    if (params.length) process.stdout.write(table(['PARAMETER', 'VALUE', 'TYPE', 'UPDATED'], params.map(([name, p]) => [name, p.value, (p as { type?: string }).type, (p as { updatedAt?: string }).updatedAt])));
  });
  for (const [verb, method, done] of [
    ['tag', 'PUT', 'tagged'],
    ['untag', 'DELETE', 'untagged'],
  ] as const) {
    withApiOptions(devices.command(`${verb} <tag> <deviceIds...>`).description(`${verb === 'tag' ? 'add a tag to' : 'remove a tag from'} devices`)).action(
      async (tag: string, ids: string[], opts: ApiFlags) => {
        if (!TAG.test(tag)) throw new UsageError(`tag ${JSON.stringify(tag)} must be 1-64 letters, digits or _ . : -`);
        for (const id of ids) devicePath(id);
        const target = apiTarget(opts);
        await forEach(ids, (id) => callApi(target, method, `${devicePath(id)}/tags/${encodeURIComponent(tag)}`), `${done} ${tag}`);
      },
    );
  }
  withApiOptions(
    devices
      .command('cr-auth <deviceId>')
      .description("set the credential the ACS answers the device's connection-request challenge with (its ConnectionRequestUsername/Password)")
      .option('--username <u>', 'ConnectionRequestUsername')
      .option('--password <p>', 'ConnectionRequestPassword (default: read from standard input)')
      .option('--clear', "drop the device's own credential: ACS_CR_USERNAME/PASSWORD apply again"),
  ).action(async (id: string, opts: ApiFlags & { username?: string; password?: string; clear?: boolean }) => {
    const path = `${devicePath(id)}/connection-request-auth`;
    if (opts.clear) {
      if (opts.username !== undefined || opts.password !== undefined) throw new UsageError('--clear takes no --username or --password');
      await callApi(apiTarget(opts), 'DELETE', path);
      return void process.stdout.write(`${id}: connection-request credential cleared\n`);
    }
    if (opts.username === undefined) throw new UsageError('--username is required (or --clear)');
    const password = opts.password ?? (await readStdin()).replace(/\r?\n$/, '');
    if (!password) throw new UsageError('a password is required: --password, or one line on standard input');
    await callApi(apiTarget(opts), 'PUT', path, { username: opts.username, password });
    process.stdout.write(`${id}: connection requests now use ${opts.username}\n`);
  });
  withApiOptions(
    devices
      .command('sessions <deviceId> [session]')
      .description("the device's last CWMP sessions, newest first, or one of them with its RPCs")
      .option('--limit <n>', 'sessions per page (at most 100)')
      .option('--cursor <cursor>', 'the page after this cursor')
      .option('--json', 'print JSON'),
  ).action(async (id: string, session: string | undefined, opts: ApiFlags & { limit?: string; cursor?: string; json?: boolean }) => {
    if (!id.trim()) throw new UsageError('a device id is required');
    const target = apiTarget(opts);
    if (session !== undefined) {
      if (!/^[1-9][0-9]{0,15}$/.test(session)) throw new UsageError(`session must be a session number from \`acs devices sessions ${id}\`, got ${JSON.stringify(session)}`);
      const one = await callApi<TracedSession & { cpeRequests: Array<{ method: string; at: number }> }>(target, 'GET', `${devicePath(id)}/sessions/${session}`);
      if (opts.json) return void process.stdout.write(json(one));
      process.stdout.write(table(['SESSION', 'STARTED', 'SOURCE', 'EVENTS', 'OUTCOME', 'MS'], [[one.id, one.startedAt, one.source, one.events, one.reason ? `${one.outcome}: ${one.reason}` : one.outcome, one.durationMs]]));
      process.stdout.write(table(['AT MS', 'RPC', 'OUTCOME', 'FAULT'], one.rpcs.map((r) => [r.at, r.method, r.outcome, r.fault ? `${r.fault.code} ${r.fault.message}` : ''])));
      if (one.cpeRequests.length) process.stdout.write(table(['AT MS', 'DEVICE REQUEST'], one.cpeRequests.map((r) => [r.at, r.method])));
      if (one.bodies) process.stdout.write('SOAP bodies were kept (secrets redacted): see --json\n');
      return;
    }
    const q = new URLSearchParams();
    if (opts.limit) q.set('limit', opts.limit);
    if (opts.cursor) q.set('cursor', opts.cursor);
    const page = await callApi<{ items: TracedSession[]; nextCursor: string | null }>(target, 'GET', `${devicePath(id)}/sessions${q.size ? `?${q}` : ''}`);
    if (opts.json) return void process.stdout.write(json(page));
    const rows = page.items.map((t) => [t.id, t.startedAt, t.source, t.events, t.rpcs.map((r) => `${r.method}:${r.outcome}`), t.faults, t.outcome, t.durationMs]);
    process.stdout.write(table(['SESSION', 'STARTED', 'SOURCE', 'EVENTS', 'RPCS', 'FAULTS', 'OUTCOME', 'MS'], rows));
    if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
  });
  withApiOptions(
    devices
      .command('trace <deviceId>')
      .description("keep the SOAP bodies of the device's sessions (secrets redacted) for a while, or stop")
      .option('--on', 'start tracing')
      .option('--for <duration>', 'how long with --on: 90s, 30m, 1h, 2d (default 1h, at most 7d)')
      .option('--off', 'stop tracing')
      .option('--json', 'print JSON'),
  ).action(async (id: string, opts: ApiFlags & { on?: boolean; off?: boolean; for?: string; json?: boolean }) => {
    if (!id.trim()) throw new UsageError('a device id is required');
    if (!!opts.on === !!opts.off) throw new UsageError('say --on or --off');
    if (opts.off && opts.for !== undefined) throw new UsageError('--for goes with --on');
    const target = apiTarget(opts);
    if (opts.off) {
      await callApi(target, 'DELETE', `${devicePath(id)}/trace`);
      return void process.stdout.write(opts.json ? json({ deviceId: id, until: null }) : `tracing off for ${id}\n`);
    }
    const seconds = opts.for === undefined ? 3600 : traceSeconds(opts.for);
    const state = await callApi<{ deviceId: string; until: string }>(target, 'PUT', `${devicePath(id)}/trace`, { for: seconds });
    process.stdout.write(opts.json ? json(state) : `tracing ${id} until ${state.until}\n`);
  });
}

const TAG = /^[A-Za-z0-9_.:-]{1,64}$/;

function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

/** What a person wants to know of a device first, one line per fact. */
export function deviceSummary(d: Device): string {
  const id = d.deviceId as { manufacturer?: string; oui?: string; productClass?: string; serialNumber?: string } | undefined;
  const cr = d.connectionRequestAuth as { username?: string } | undefined;
  const events = (d.lastEvents as Array<{ eventCode?: string }> | undefined)?.map((e) => e.eventCode).filter(Boolean);
  return details([
    ['device', d.id],
    ['product', [id?.manufacturer, id?.productClass].filter(Boolean).join(' ')],
    ['serial number', id?.serialNumber],
    ['OUI', id?.oui],
    ['software', d.softwareVersion],
    ['hardware', d.hardwareVersion],
    ['CWMP', d.cwmpVersion],
    ['address', d.remoteAddress],
    ['last inform', d.lastInformAt ? `${d.lastInformAt}${events?.length ? ` (${events.join(', ')})` : ''}` : 'never'],
    ['last boot', d.lastBootAt],
    ['registered', d.registeredAt],
    ['tags', d.tags.length ? d.tags : '(none)'],
    ['queued tasks', d.queuedTasks.length ? `${d.queuedTasks.length}: ${d.queuedTasks.join(', ')}` : 'none'],
    ['connection requests', d.connectionRequestUrl ? `${d.connectionRequestUrl} as ${cr?.username ?? 'the default credential (ACS_CR_USERNAME)'}` : 'no ConnectionRequestURL reported'],
    ['parameter key', d.parameterKey],
    ['provisioning code', d.provisioningCode],
  ]);
}

interface TracedSession {
  id: number;
  startedAt: string;
  source: string;
  events: string[];
  rpcs: Array<{ method: string; outcome: string; at: number; fault?: { code: number | string; message: string } }>;
  faults: number;
  outcome: string;
  reason?: string;
  durationMs: number;
  bodies: boolean;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `--for`: a whole number with a unit, between a minute and seven days (what the API accepts). */
function traceSeconds(text: string): number {
  const m = /^([1-9][0-9]{0,6})([smhd])$/.exec(text.trim());
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[m[2]] : NaN;
  if (!(seconds >= 60 && seconds <= 604_800)) throw new UsageError(`--for must be a duration from 60s to 7d such as 30m, 1h or 2d, got ${JSON.stringify(text)}`);
  return seconds;
}
