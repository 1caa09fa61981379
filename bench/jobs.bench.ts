/**
 * Bulk-job benchmark (issue 3), on the real stores with the api and worker roles in this process:
 *
 * 1. a job over every one of N devices already in the database (created paused): time from
 *    POST /jobs until the plan is complete, and the store's CPU for it (target: < 15 s for
 *    100,000);
 * 2. the job resumed with connection requests at --rate devices/s: the rate at which requests
 *    arrive at a loopback listener standing in for the devices, over a --window of seconds
 *    after a 5 s warm-up (target: within ±10 % of --rate), and the store's CPU per device
 *    released.
 *
 *   node -r @swc-node/register bench/jobs.bench.ts --devices 100000 --rate 200 --window 30
 *
 * Stores: --mongodb-url, else FerretDB in a temporary directory (as `npm test` does); the
 * machine's Redis under a fresh prefix. The database and the prefix are dropped at the end.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { TokenRepository } from '../src/auth';
import { loadConfig } from '../src/config';
import { JobRepository } from '../src/jobs/repository';
import { createLogger } from '../src/log';
import { openContext, startRoles } from '../src/roles';
import { seedDevices } from './api-seed';
import { storeCpuMs } from './store-cpu';
import { Cleanup, startStores } from './harness';

interface Args {
  devices: number;
  rate: number;
  window: number;
  mongodbUrl?: string;
}

function args(): Args {
  const { values } = parseArgs({
    options: { devices: { type: 'string', default: '100000' }, rate: { type: 'string', default: '200' }, window: { type: 'string', default: '30' }, 'mongodb-url': { type: 'string' } },
  });
  const num = (name: string, v: string) => {
    const n = Number(v);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(v)}`);
    return n;
  };
  return { devices: num('devices', values.devices!), rate: num('rate', values.rate!), window: num('window', values.window!), mongodbUrl: values['mongodb-url'] };
}

async function main(): Promise<void> {
  const a = args();
  const cleanup = new Cleanup();
  const stores = await startStores(cleanup, 'jobs', a.mongodbUrl);
  /** FerretDB CPU milliseconds since `before` (undefined on MongoDB or off Linux). */
  const cpuSince = (before: number | undefined) => {
    const now = storeCpuMs(stores.storageDir);
    return before === undefined || now === undefined ? undefined : now - before;
  };
  const config = loadConfig({
    MONGODB_URL: stores.mongodbUrl,
    REDIS_URL: stores.redisUrl,
    ACS_REDIS_PREFIX: stores.prefix,
    ACS_BIND_ADDRESS: '127.0.0.1',
    ACS_API_PORT: '0',
    // ports of their own: other benches and suites may run on this machine
    ACS_WORKER_PORT: '0',
    ACS_METRICS_PORT: '0',
    ACS_CR_CONCURRENCY: '100',
    LOG_LEVEL: 'warn',
  });
  const ctx = await openContext(config, createLogger(config.logLevel), { migrate: true });
  // Stands in for every device's connection-request listener: counts arrivals per 100 ms.
  const arrivals: number[] = [];
  const listener = http.createServer((req, res) => {
    arrivals.push(Date.now());
    req.resume();
    res.writeHead(204).end();
  });
  listener.keepAliveTimeout = 5000;
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const crBase = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/cr/`;
  const roles = await startRoles(ctx, ['api', 'worker']);
  try {
    const t0 = Date.now();
    await seedDevices(
      ctx.db,
      Array.from({ length: a.devices }, (_, i) => ({ serialNumber: `BENCH${String(i).padStart(7, '0')}`, tags: ['bench'], connectionRequestUrl: `${crBase}${i}` })),
      2000,
    );
    const seeded = Date.now() - t0;
    // What selecting the devices alone costs on this store (planning reads them once too).
    const t1 = Date.now();
    const selectCpu = storeCpuMs(stores.storageDir);
    const selected = (await ctx.db.collection('devices').find({ tags: 'bench' }, { projection: { _id: 1 } }).toArray()).length;
    const selectMs = Date.now() - t1;
    const selectStoreCpuMs = cpuSince(selectCpu);
    const jobs = new JobRepository(ctx.db);
    const { token } = await new TokenRepository(ctx.db).create({ name: 'bench', role: 'operator', createdBy: 'bench' });
    const apiUrl = `${roles.find((r) => r.name === 'api')!.url}/api/v1`;
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${apiUrl}${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      return res.json();
    };

    const created = Date.now();
    const planCpu = storeCpuMs(stores.storageDir);
    const job = (await call('POST', '/jobs', { rpcs: [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion'] }], target: { tag: 'bench' }, rate: a.rate, connectionRequest: true, paused: true })) as { id: string };
    const accepted = Date.now() - created;
    let planned = 0;
    for (let i = 0; i < 3000 && !planned; i++) {
      const state = await jobs.get(job.id);
      if (state?.plan) planned = Date.now() - created;
      else await new Promise((r) => setTimeout(r, 100));
    }
    const planStoreCpuMs = cpuSince(planCpu);
    const planLoad = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    const tasks = await ctx.db.collection('tasks').countDocuments({ jobId: job.id });

    const releaseCpu = storeCpuMs(stores.storageDir);
    const releasedBefore = (await jobs.get(job.id))?.release.position ?? 0;
    await call('POST', `/jobs/${job.id}/resume`);
    const resumed = Date.now();
    const warmup = 5000;
    const releasedAt: Array<[number, number]> = [];
    for (let s = 0; s < Math.ceil(warmup / 1000 + a.window); s++) {
      await new Promise((r) => setTimeout(r, 1000));
      releasedAt.push([Date.now(), (await jobs.get(job.id))?.release.position ?? 0]);
    }
    const releaseStoreCpuMs = cpuSince(releaseCpu);
    const releasedDevices = releasedAt[releasedAt.length - 1][1] - releasedBefore;
    const from = resumed + warmup;
    const to = from + a.window * 1000;
    const inWindow = arrivals.filter((t) => t >= from && t < to).length;
    const measured = inWindow / a.window;
    const perSecond: number[] = [];
    for (let s = from; s < to; s += 1000) perSecond.push(arrivals.filter((t) => t >= s && t < s + 1000).length);
    const inRange = releasedAt.filter(([t]) => t >= from);
    const releaseRate = (inRange[inRange.length - 1][1] - inRange[0][1]) / ((inRange[inRange.length - 1][0] - inRange[0][0]) / 1000);
    const result = {
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      store: a.mongodbUrl ? 'MongoDB (--mongodb-url)' : 'FerretDB 1.24 (SQLite)',
      devices: a.devices,
      seedMs: seeded,
      selectDevicesMs: selectMs,
      selectStoreCpuMs,
      selected,
      jobAcceptedMs: accepted,
      tasksPersisted: tasks,
      planMs: planned,
      planStoreCpuMs,
      planLoad,
      rate: a.rate,
      windowSeconds: a.window,
      connectionRequestsPerSecond: Number(measured.toFixed(1)),
      deviationPercent: Number((((measured - a.rate) / a.rate) * 100).toFixed(1)),
      devicesReleasedPerSecond: Number(releaseRate.toFixed(1)),
      // the whole release phase (sessions are not run: the listener only counts requests)
      releasedDevices,
      releaseStoreCpuMs,
      releaseStoreCpuMsPerDevice: releaseStoreCpuMs === undefined || !releasedDevices ? undefined : Number((releaseStoreCpuMs / releasedDevices).toFixed(3)),
      connectionRequestsEachSecond: perSecond,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await Promise.allSettled(roles.map((r) => r.close()));
    listener.closeAllConnections();
    listener.close();
    await ctx.close();
    await cleanup.run();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
