import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { openContext, startRoles, type AppContext, type RunningRole } from '../src/roles';
import { ensureLocalStores, withDatabase } from '../src/stores';

/** What the console benches share: their flags, and an api role on its own stores. */
export interface ConsoleBench {
  devices: number;
  runs: number;
  mongodbUrl?: string;
  ctx: AppContext;
  roles: RunningRole[];
  /** stops the role, drops the bench's database and stops the stores it started */
  close(): Promise<void>;
}

/** `--devices N --runs N [--mongodb-url URL]`, then the api role alone on fresh stores. */
export async function startConsoleBench(): Promise<ConsoleBench> {
  const { values } = parseArgs({ options: { devices: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' }, 'mongodb-url': { type: 'string' } } });
  const storageDir = mkdtempSync(path.join(os.tmpdir(), 'acs-bench-console-'));
  const mongodbUrl = values['mongodb-url'];
  const stores = await ensureLocalStores({ storageDir, env: mongodbUrl ? { ...process.env, MONGODB_URL: mongodbUrl } : process.env });
  const id = randomBytes(4).toString('hex');
  const config = loadConfig({ MONGODB_URL: withDatabase(stores.mongodbUrl, `bench_console_${id}`), REDIS_URL: stores.redisUrl, ACS_REDIS_PREFIX: `bench:${id}:`, ACS_BIND_ADDRESS: '127.0.0.1', ACS_API_PORT: '0', ACS_METRICS_PORT: '0', LOG_LEVEL: 'warn' });
  const ctx = await openContext(config, createLogger(config.logLevel), { migrate: true });
  const roles = await startRoles(ctx, ['api']);
  return {
    devices: Number(values.devices),
    runs: Number(values.runs),
    mongodbUrl,
    ctx,
    roles,
    async close() {
      await Promise.allSettled(roles.map((r) => r.close()));
      await ctx.db.dropDatabase().catch(() => undefined);
      await ctx.close();
      await stores.stop();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

export interface Timing {
  medianMs: number;
  maxMs: number;
  /** what the last answer held (items or a count), when it says */
  items?: number;
}

/** Each request `runs` times after one warm-up, one after the other: median and max. */
export async function timeEach<T>(requests: Record<string, () => Promise<T>>, runs: number, size: (answer: T) => number | undefined): Promise<Record<string, Timing>> {
  const results: Record<string, Timing> = {};
  for (const [name, request] of Object.entries(requests)) {
    const times: number[] = [];
    let items: number | undefined;
    for (let i = 0; i <= runs; i++) {
      const t = process.hrtime.bigint();
      items = size(await request());
      if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((x, y) => x - y);
    results[name] = { medianMs: round(times[Math.floor(times.length / 2)]), maxMs: round(times[times.length - 1]), ...(items !== undefined ? { items } : {}) };
  }
  return results;
}

/** The figures as JSON on stdout, with the machine and the store they were measured on. */
export function printFigures(mongodbUrl: string | undefined, figures: Record<string, unknown>): void {
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
  process.stdout.write(`${JSON.stringify({ machine, store: mongodbUrl ? 'MongoDB (--mongodb-url)' : 'FerretDB 1.24 (SQLite)', ...figures }, null, 2)}\n`);
}

export function runBench(main: () => Promise<void>): void {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
