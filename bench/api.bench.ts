/**
 * Device-list benchmark (issue 3): GET /api/v1/devices pages over N devices already in the
 * database, through the API over loopback HTTP, with the indexes of migration 002. Each query
 * runs --runs times after one warm-up; median, p95 and max are reported. The store's own
 * explanation of the tag page's query is printed too (on FerretDB: the SQLite plan, and that
 * the `_id` order is pushed down while the tag is filtered in Go).
 *
 *   node -r @swc-node/register bench/api.bench.ts --devices 100000 --runs 15
 *
 * With `--part tasks` it queues tasks through the API instead (issue 17 item 3): --singles
 * single `POST /devices/{id}/tasks` (GetParameterValues) from a client with 10 in flight, then
 * one bulk `POST /tasks` for --bulk devices; wall time and the process's CPU time (the ACS and
 * the client share it) for each, and a check that every device got exactly its tasks:
 *
 *   node -r @swc-node/register bench/api.bench.ts --part tasks --devices 10000 --singles 1000 --bulk 10000
 *
 * Stores: --mongodb-url, else FerretDB in a temporary directory; the database is dropped at the end.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { encodeCursor } from '../src/api/pagination';
import { TokenRepository } from '../src/auth';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { openContext, startRoles } from '../src/roles';
import { seedDevices } from './api-seed';
import { storeCpuMs } from './store-cpu';
import { Cleanup, startStores } from './harness';

const CLASSES = ['CP-8851-3PCC', 'CP-7841-3PCC', 'CP-8865-3PCC'];
const VERSIONS = ['sip88xx.12-0-1MPP-2', 'sip88xx.11-3-7MPP', 'sip78xx.12-0-1MPP-2', 'sip78xx.11-3-7MPP', 'sip8865.12-0-1MPP'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      devices: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '15' },
      part: { type: 'string', default: 'list' },
      only: { type: 'string' },
      singles: { type: 'string', default: '1000' },
      bulk: { type: 'string', default: '10000' },
      'mongodb-url': { type: 'string' },
    },
  });
  if (values.part !== 'list' && values.part !== 'tasks') throw new Error(`--part must be list or tasks, got ${JSON.stringify(values.part)}`);
  const devices = Number(values.devices);
  const runs = Number(values.runs);
  const mongodbUrl = values['mongodb-url'];
  const cleanup = new Cleanup();
  const stores = await startStores(cleanup, 'api', mongodbUrl);
  const config = loadConfig({ MONGODB_URL: stores.mongodbUrl, REDIS_URL: stores.redisUrl, ACS_REDIS_PREFIX: stores.prefix, ACS_BIND_ADDRESS: '127.0.0.1', ACS_API_PORT: '0', ACS_METRICS_PORT: '0', LOG_LEVEL: 'warn' });
  const ctx = await openContext(config, createLogger(config.logLevel), { migrate: true });
  const roles = await startRoles(ctx, ['api']);
  try {
    const t0 = Date.now();
    const base = Date.parse('2025-06-01T00:00:00Z');
    const ids = await seedDevices(
      ctx.db,
      Array.from({ length: devices }, (_, i) => ({
        serialNumber: `LIST${String(i).padStart(7, '0')}`,
        productClass: CLASSES[i % 3],
        softwareVersion: VERSIONS[i % 5],
        tags: [`floor-${i % 100}`],
        lastInformAt: new Date(base + ((i * 7919) % 86_400) * 1000),
        params: { 'Device.DeviceInfo.ModelName': CLASSES[i % 3].slice(0, 7) },
      })),
      2000,
    );
    const seedMs = Date.now() - t0;
    const apiUrl = `${roles[0].url}/api/v1`;
    if (values.part === 'tasks') {
      const { token: operator } = await new TokenRepository(ctx.db).create({ name: 'bench', role: 'operator', createdBy: 'bench' });
      const tasks = await queueTasks(apiUrl, operator, ids, Number(values.singles), Number(values.bulk), () => storeCpuMs(stores.storageDir));
      const queued = await ctx.db.collection<{ taskQueue: string[] }>('devices').find({}, { projection: { taskQueue: 1 } }).toArray();
      const perDevice = queued.reduce((n, d) => n + d.taskQueue.length, 0);
      process.stdout.write(`${JSON.stringify({ machine: machine(), store: storeName(mongodbUrl), devices, seedMs, ...tasks, tasksOnDeviceQueues: perDevice }, null, 2)}\n`);
      return;
    }
    const { token } = await new TokenRepository(ctx.db).create({ name: 'bench', role: 'viewer', createdBy: 'bench' });
    const get = async (p: string) => {
      const res = await fetch(`${apiUrl}${p}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    // the cursor a client holds after paging halfway through the id order
    const deepCursor = encodeCursor([ids.sort()[Math.floor(devices / 2)]]);
    const queries: Record<string, string> = {
      'first page (sort id)': '/devices?limit=50',
      'deep page (cursor at the middle)': `/devices?limit=50&cursor=${deepCursor}`,
      'productClass (1/3 match)': '/devices?limit=50&productClass=CP-7841-3PCC',
      'tag (1 % match)': '/devices?limit=50&tag=floor-42',
      'softwareVersion + sort -lastInformAt': `/devices?limit=50&softwareVersion=${VERSIONS[1]}&sort=-lastInformAt`,
      'sort lastInformAt': '/devices?limit=50&sort=lastInformAt',
      'sort -lastInformAt': '/devices?limit=50&sort=-lastInformAt',
      'sort lastInformAt, page after a cursor halfway': `/devices?limit=50&sort=lastInformAt&cursor=${encodeCursor([new Date(base + 43_200_000), ids[0]])}`,
      'sort -lastInformAt, page after a cursor halfway': `/devices?limit=50&sort=-lastInformAt&cursor=${encodeCursor([new Date(base + 43_200_000), ids[0]])}`,
      'sort -lastBootAt': '/devices?limit=50&sort=-lastBootAt',
      'sort registeredAt': '/devices?limit=50&sort=registeredAt',
      'lastInform range (1 h)': `/devices?limit=50&lastInformAfter=${new Date(base + 3600_000).toISOString()}&lastInformBefore=${new Date(base + 7200_000).toISOString()}`,
      'first page + 1 parameter': '/devices?limit=50&fields=Device.DeviceInfo.ModelName',
      'page of 1000': '/devices?limit=1000',
      'parameter filter (scan=true)': '/devices?limit=50&param=Device.DeviceInfo.ModelName=CP-8865&scan=true',
    };
    const results: Record<string, { firstMs: number; medianMs: number; p95Ms: number; maxMs: number; items: number; firstStoreCpuMs?: number; storeCpuMsPerRun?: number }> = {};
    const storeCpu = () => storeCpuMs(stores.storageDir);
    const only = values.only ? new RegExp(values.only) : undefined;
    for (const [name, q] of Object.entries(queries)) {
      if (only && !only.test(name)) continue;
      const times: number[] = [];
      let items = 0;
      let firstMs = 0;
      // the store's CPU (FerretDB's, from /proc) is the figure to compare on a loaded machine
      const cpuAtStart = storeCpu();
      let cpuAfterFirst: number | undefined;
      for (let i = 0; i <= runs; i++) {
        const t = process.hrtime.bigint();
        items = (await get(q)).items.length;
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        if (i > 0) times.push(ms);
        else [firstMs, cpuAfterFirst] = [round(ms), storeCpu()];
      }
      const cpuAtEnd = storeCpu();
      times.sort((x, y) => x - y);
      // the warm-up: on FerretDB the first sort by a date field also proves the field's values (one scan)
      results[name] = {
        firstMs,
        medianMs: round(times[Math.floor(times.length / 2)]),
        p95Ms: round(times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]),
        maxMs: round(times[times.length - 1]),
        items,
        ...(cpuAtStart !== undefined && cpuAfterFirst !== undefined && cpuAtEnd !== undefined
          ? { firstStoreCpuMs: round(cpuAfterFirst - cpuAtStart), storeCpuMsPerRun: round((cpuAtEnd - cpuAfterFirst) / runs) }
          : {}),
      };
    }
    const explain = await ctx.db.collection('devices').find({ tags: 'floor-42' }).sort({ _id: 1 }).limit(51).explain();
    process.stdout.write(
      `${JSON.stringify(
        {
          machine: machine(),
          store: storeName(mongodbUrl),
          devices,
          seedMs,
          runs,
          results,
          explainTagPage: { plan: explain.queryPlanner, filterPushdown: explain.filterPushdown, sortPushdown: explain.sortPushdown, limitPushdown: explain.limitPushdown },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await Promise.allSettled(roles.map((r) => r.close()));
    await ctx.close();
    await cleanup.run();
  }
}

const machine = () => `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
const storeName = (mongodbUrl: string | undefined) => (mongodbUrl ? 'MongoDB (--mongodb-url)' : 'FerretDB 1.24 (SQLite)');

/** Wall and CPU milliseconds (this process, client and ACS; and the store's) of `fn`. */
async function timed<T>(fn: () => Promise<T>, storeCpu: () => number | undefined): Promise<{ result: T; wallMs: number; cpuMs: number; storeCpuMs?: number; load: string }> {
  const cpu = process.cpuUsage();
  const store = storeCpu();
  const t = Date.now();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  const storeAfter = storeCpu();
  return {
    result,
    wallMs: Date.now() - t,
    cpuMs: Math.round((used.user + used.system) / 1000),
    ...(store !== undefined && storeAfter !== undefined ? { storeCpuMs: storeAfter - store } : {}),
    load: os.loadavg().map((l) => l.toFixed(1)).join(' '),
  };
}

/** `singles` single POSTs with 10 in flight (to the first devices), then one bulk POST to the next `bulk` devices. */
async function queueTasks(apiUrl: string, token: string, ids: string[], singles: number, bulk: number, storeCpu: () => number | undefined) {
  const rpc = { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion'] };
  const post = async (p: string, body: unknown, want: number) => {
    const res = await fetch(`${apiUrl}${p}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== want) throw new Error(`POST ${p}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as unknown;
  };
  let next = 0;
  const single = await timed(() =>
    Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < singles) await post(`/devices/${encodeURIComponent(ids[next++ % ids.length])}/tasks`, { rpc }, 201);
      }),
    ),
    storeCpu,
  );
  const targets = ids.slice(singles, singles + bulk);
  const many = bulk > 0 ? await timed(() => post('/tasks', { deviceIds: targets, rpc }, 201), storeCpu) : undefined;
  const { result: _s, ...singleTimes } = single;
  return {
    singles: { count: singles, inFlight: 10, ...singleTimes },
    ...(many ? { bulk: { count: targets.length, wallMs: many.wallMs, cpuMs: many.cpuMs, storeCpuMs: many.storeCpuMs, load: many.load, queued: (many.result as { items: unknown[] }).items.length } } : {}),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
