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
