/**
 * The first sorted device page after the local FerretDB restarts (issue 17 item 4). Before it
 * sorts by a date field in SQLite, FerretDB proves once per process that the field's index
 * order is MongoDB's, reading every row (tools/local-stores/ferretdb/_overlay/internal/
 * backends/sqlite/acs_sort.go); a bench that seeds and then queries one process never sees
 * that cost. This seeds --devices devices with the indexes of the migrations, restarts FerretDB
 * on the same data, and times the first find sorted by each date field (descending, 51 rows)
 * with FerretDB's CPU. A clean stop keeps the proofs in the data (patches.ts KEEP_PROOFS), so
 * the restarted FerretDB serves the first sort without proving again; with --kill, FerretDB is
 * SIGKILLed instead, as in a crash, and the first sorted find after the restart waits for the
 * proof. With --touch-ms, one find by _id comes first and the bench waits that long (the store
 * then proves in the background) before the sorted finds.
 *
 *   node -r @swc-node/register bench/sort-proof.bench.ts --devices 100000 [--kill] [--touch-ms 5000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { openContext } from '../src/roles';
import { connectMongo, ensureLocalStores, withDatabase } from '../src/stores';
import { seedDevices } from './api-seed';
import { machine, round, runBench } from './harness';
import { storeCpuMs, storePid } from './store-cpu';

const FIELDS = ['lastBootAt', 'registeredAt', 'lastInformAt'];

runBench(async (cleanup) => {
  const { values } = parseArgs({ options: { devices: { type: 'string', default: '100000' }, kill: { type: 'boolean', default: false }, 'touch-ms': { type: 'string' } } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acs-bench-sort-proof-'));
  cleanup.defer(() => rmSync(dir, { recursive: true, force: true }));
  const start = async () => {
    const stores = await ensureLocalStores({ storageDir: dir, env: { ...process.env, MONGODB_URL: '' }, log: () => undefined });
    cleanup.defer(() => stores.stop());
    return stores;
  };

  const first = await start();
  const config = loadConfig({ MONGODB_URL: withDatabase(first.mongodbUrl, 'sort_proof'), REDIS_URL: first.redisUrl, ACS_REDIS_PREFIX: `bench:sort-proof:${process.pid}:`, ACS_METRICS_PORT: '0', LOG_LEVEL: 'warn' });
  const ctx = await openContext(config, createLogger(config.logLevel), { migrate: true });
  const base = Date.parse('2025-06-01T00:00:00Z');
  const devices = Number(values.devices);
  await seedDevices(ctx.db, Array.from({ length: devices }, (_, i) => ({ serialNumber: `PROOF${String(i).padStart(7, '0')}`, lastInformAt: new Date(base + ((i * 7919) % 86_400) * 1000) })), 2000);
  await ctx.close();
  const pid = storePid(dir);
  if (values.kill && pid !== undefined) process.kill(pid, 'SIGKILL');
  await first.stop();

  const stores = await start();
  const { client, db } = await connectMongo(withDatabase(stores.mongodbUrl, 'sort_proof'));
  cleanup.defer(() => client.close());
  const cpu = () => storeCpuMs(dir) ?? Number.NaN;
  const out: Record<string, unknown> = { machine: machine(), devices, restart: values.kill ? 'after SIGKILL' : 'after a clean stop' };
  if (values['touch-ms']) {
    const [before, idleMs] = [cpu(), Number(values['touch-ms'])];
    await db.collection('devices').findOne({ _id: 'none' as never });
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    out.touchThenIdle = { idleMs, storeCpuMs: round(cpu() - before) };
  }
  for (const field of FIELDS) {
    const before = cpu();
    const t = process.hrtime.bigint();
    const rows = await db.collection('devices').find({}).sort({ [field]: -1, _id: -1 }).limit(51).toArray();
    out[`first sort -${field}`] = { ms: round(Number(process.hrtime.bigint() - t) / 1e6), storeCpuMs: round(cpu() - before), rows: rows.length };
  }
  out.loadAfter = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
});
