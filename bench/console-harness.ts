import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { openContext, startRoles, type AppContext, type RunningRole } from '../src/roles';
import { Cleanup, flags, report, round, startStores } from './harness';

/** What the console benches share: their flags, and an api role on its own stores. */
export interface ConsoleBench {
  devices: number;
  runs: number;
  mongodbUrl?: string;
  ctx: AppContext;
  roles: RunningRole[];
  /** stops the role, drops the bench's database and Redis keys and stops the stores it started */
  close(): Promise<void>;
}

/** `--devices N --runs N [--mongodb-url URL]`, then the api role alone on fresh stores. */
export async function startConsoleBench(): Promise<ConsoleBench> {
  const values = flags({ devices: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' }, 'mongodb-url': { type: 'string' } });
  const mongodbUrl = values['mongodb-url'];
  const cleanup = new Cleanup();
  const stores = await startStores(cleanup, 'console', mongodbUrl);
  const config = loadConfig({ MONGODB_URL: stores.mongodbUrl, REDIS_URL: stores.redisUrl, ACS_REDIS_PREFIX: stores.prefix, ACS_BIND_ADDRESS: '127.0.0.1', ACS_API_PORT: '0', ACS_METRICS_PORT: '0', LOG_LEVEL: 'warn' });
  const ctx = await openContext(config, createLogger(config.logLevel), { migrate: true });
  cleanup.defer(() => ctx.close());
  const roles = await startRoles(ctx, ['api']);
  cleanup.defer(() => Promise.allSettled(roles.map((r) => r.close())));
  return { devices: Number(values.devices), runs: Number(values.runs), mongodbUrl, ctx, roles, close: () => cleanup.run() };
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

/** The figures in the harness's result format, with the store they were measured on. */
export function printFigures(mongodbUrl: string | undefined, figures: Record<string, unknown>): void {
  report(process.argv[1]?.replace(/^.*\/|\.bench\.[jt]s$/g, '') ?? 'console', { store: mongodbUrl ? 'MongoDB (--mongodb-url)' : 'FerretDB 1.24 (SQLite)', ...figures });
}
