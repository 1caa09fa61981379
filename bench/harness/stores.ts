import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectMongo, connectRedis, ensureLocalStores, withDatabase } from '../../src/stores';
import type { Cleanup } from './run';

/** The stores a bench runs on: its own database and Redis key prefix, dropped at the end. */
export interface BenchStores {
  /** MongoDB URL naming the bench's own database */
  mongodbUrl: string;
  redisUrl: string;
  /** ACS_REDIS_PREFIX of the bench */
  prefix: string;
  /** MongoDB (--mongodb-url) or the local FerretDB */
  label: string;
  /** the local FerretDB's data directory (its process names it, so a bench can read its CPU time) */
  storageDir: string;
}

/**
 * The local stores (FerretDB in a temporary directory, or the MongoDB of `mongodbUrl`; the
 * machine's Redis), with a fresh database and key prefix that `cleanup` drops when the bench ends.
 */
export async function startStores(cleanup: Cleanup, name: string, mongodbUrl?: string): Promise<BenchStores> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `acs-bench-${name}-`));
  cleanup.defer(() => rmSync(dir, { recursive: true, force: true }));
  const stores = await ensureLocalStores({ storageDir: dir, env: mongodbUrl ? { ...process.env, MONGODB_URL: mongodbUrl } : process.env, log: () => undefined });
  cleanup.defer(() => stores.stop());
  const id = randomBytes(4).toString('hex');
  const bench: BenchStores = {
    mongodbUrl: withDatabase(stores.mongodbUrl, `bench_${name.replace(/\W/g, '_')}_${id}`),
    redisUrl: stores.redisUrl,
    prefix: `bench:${name}:${id}:`,
    label: mongodbUrl ? 'MongoDB (--mongodb-url)' : 'FerretDB 1.24 (SQLite)',
    storageDir: dir,
  };
  cleanup.defer(() => dropStores(bench));
  return bench;
}

/** Drops the bench's database and deletes its Redis keys (never the others'). */
async function dropStores(stores: BenchStores): Promise<void> {
  const { client, db } = await connectMongo(stores.mongodbUrl);
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  const redis = connectRedis(stores.redisUrl, { name: 'acs-bench-cleanup' });
  let cursor = '0';
  for (let i = 0; i < 100_000; i++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${stores.prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  redis.disconnect();
}
