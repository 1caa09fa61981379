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

/** `acs devices list|get` against the operator API. */
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
}
