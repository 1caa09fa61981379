import { randomBytes } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { loadConfig, type Config } from '../../src/config';
import { migrate } from '../../src/stores/migrate';
import { connectMongo, withDatabase } from '../../src/stores/mongo';
import { connectRedis, scanKeys, type RedisClient } from '../../src/stores/redis';
import { TEST_ENV } from './run';

/** A test file's own corner of the shared stores. */
export interface TestStores {
  mongo: MongoClient;
  /** a fresh database with the migrations applied */
  db: Db;
  mongodbUrl: string;
  redis: RedisClient;
  redisUrl: string;
  /** prefix of every key this test file may write, e.g. `t:1a2b3c4d:` */
  redisPrefix: string;
  /** a validated Config pointing at these stores; overrides are environment variables */
  config(overrides?: Record<string, string>): Config;
  /** drops the database, deletes the prefix's keys, closes the clients */
  close(): Promise<void>;
}

function storeUrl(name: string): string {
  const url = process.env[name];
  if (!url) throw new Error(`${name} is not set: run the tests through jest, whose global setup starts the stores`);
  return url;
}

/** `redisUrl`: another Redis than the test run's (a Sentinel set's, a cluster's). */
export async function openTestStores(options: { redisUrl?: string } = {}): Promise<TestStores> {
  const id = randomBytes(4).toString('hex');
  const mongodbUrl = withDatabase(storeUrl(TEST_ENV.mongodbUrl), `t_${id}`);
  const redisUrl = options.redisUrl ?? storeUrl(TEST_ENV.redisUrl);
  const redisPrefix = `t:${id}:`;
  const { client, db } = await connectMongo(mongodbUrl);
  await migrate(db);
  const redis = connectRedis(redisUrl, { name: `acs-test-${id}` });
  return {
    mongo: client,
    db,
    mongodbUrl,
    redis,
    redisUrl,
    redisPrefix,
    config: (overrides = {}) =>
      loadConfig({ MONGODB_URL: mongodbUrl, REDIS_URL: redisUrl, ACS_REDIS_PREFIX: redisPrefix, LOG_LEVEL: 'silent', ...overrides }),
    async close() {
      await db.dropDatabase();
      await deleteKeys(redis, redisPrefix);
      redis.disconnect();
      await client.close();
    },
  };
}

/** SCAN + DEL of every key under the prefix (on every master of a cluster); never FLUSHDB, the Redis may be shared. */
export async function deleteKeys(redis: RedisClient, prefix: string): Promise<void> {
  const limit = 10_000_000;
  const keys = await scanKeys(redis, `${prefix}*`, limit);
  if (keys.length >= limit) throw new Error(`too many keys under ${prefix}`);
  // one DEL each (pipelined): on a cluster the keys live in different slots
  await Promise.all(keys.map((k) => redis.del(k)));
}
