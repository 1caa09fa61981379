import type { Command } from 'commander';
import { apiTarget, callApi, devicePath, withApiOptions, type ApiFlags } from '../api/client';
import { json, table } from '../api/output';
import { UsageError } from '../errors';

interface Device {
  id: string;
  deviceId?: { productClass?: string };
  softwareVersion?: string;
  lastInformAt?: string;
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

/** `acs devices list|get|sessions|trace` against the operator API. */
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
      .description('one device with its learned parameters')
      .option('--fields <paths>', 'comma-separated parameters or subtrees (ending in .) to show')
      .option('--json', 'print JSON'),
  ).action(async (id: string, opts: ApiFlags & { fields?: string; json?: boolean }) => {
    if (!id.trim()) throw new UsageError('a device id is required');
    const q = opts.fields ? `?fields=${encodeURIComponent(opts.fields)}` : '';
    const device = await callApi<Device>(apiTarget(opts), 'GET', `${devicePath(id)}${q}`);
    if (opts.json) return void process.stdout.write(json(device));
    const { parameters, ...summary } = device;
    process.stdout.write(table(['FIELD', 'VALUE'], Object.entries(summary).map(([k, v]) => [k, v])));
    const params = Object.entries(parameters ?? {});
    if (params.length) process.stdout.write(table(['PARAMETER', 'VALUE', 'TYPE', 'UPDATED'], params.map(([name, p]) => [name, p.value, (p as { type?: string }).type, (p as { updatedAt?: string }).updatedAt])));
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
