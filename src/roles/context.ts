import type { Db, MongoClient } from 'mongodb';
import type { Config } from '../config';
import type { Logger } from '../log';
import { metrics } from '../metrics';
import { connectMongo, connectRedis, loadSecret, migrate, pingMongo, pingRedis } from '../stores';
import type { RedisClient } from '../stores/redis';

/** The stores and settings every role of one process shares. */
export interface AppContext {
  config: Config;
  log: Logger;
  mongo: MongoClient;
  db: Db;
  redis: RedisClient;
  /** key for Digest nonces and signed URLs, the same on every replica */
  secret: Buffer;
  /** true when MongoDB and Redis both answer */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** apply pending migrations first (what `serve` does at start) */
  migrate: boolean;
}

export async function openContext(config: Config, log: Logger, options: OpenOptions): Promise<AppContext> {
  const { client, db } = await connectMongo(config.mongodbUrl, { monitorCommands: true });
  client.on('commandStarted', (e) => metrics.mongoCommands.inc({ command: e.commandName }));
  const redis = connectRedis(config.redisUrl, { name: 'acs' });
  redis.on('error', (err) => log.warn({ event: 'redis.error', err: err.message }, 'Redis connection error'));
  try {
    await pingRedis(redis);
    if (options.migrate) {
      const { applied } = await migrate(db, (message) => log.info({ event: 'migrations' }, message));
      if (applied.length) log.info({ event: 'migrations.applied', applied }, 'migrations applied');
    }
    const secret = await loadSecret(db, config.secret);
    return {
      config,
      log,
      mongo: client,
      db,
      redis,
      secret,
      ready: async () => {
        try {
          await Promise.all([pingMongo(db), pingRedis(redis)]);
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        await Promise.allSettled([client.close(), redis.quit()]);
      },
    };
  } catch (err) {
    await Promise.allSettled([client.close(), redis.quit()]);
    throw err;
  }
}
