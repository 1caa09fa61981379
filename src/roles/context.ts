import type { MongoClient } from 'mongodb';
import type { Config } from '../config';
import type { Logger } from '../log';
import { metrics } from '../metrics';
import { connectMongo, connectRedis, loadSecret, migrate, pingMongo, pingRedis } from '../stores';
import { compose, type Composition, type Connections } from './compose';

/** One process: its connections, and the stores and services its roles share (roles/compose.ts). */
export interface AppContext extends Connections, Composition {
  mongo: MongoClient;
  /** closes the stores and services, then the connections */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** apply pending migrations first (what `serve` does at start) */
  migrate: boolean;
}

export async function openContext(config: Config, log: Logger, options: OpenOptions): Promise<AppContext> {
  // Command monitoring decodes each reply a second time for its event: names are opt-in, the
  // pool's checkouts (one per command sent) count every request for next to nothing.
  const { client, db } = await connectMongo(config.mongodbUrl, { monitorCommands: config.mongoCommandMetrics, log });
  client.on('connectionCheckedOut', () => metrics.mongoRequests.inc());
  if (config.mongoCommandMetrics) client.on('commandStarted', (e) => metrics.mongoCommands.inc({ command: e.commandName }));
  const redis = connectRedis(config.redisUrl, { name: 'acs' });
  redis.on('error', (err) => log.warn({ event: 'redis.error', err: err.message }, 'Redis connection error'));
  try {
    await pingRedis(redis);
    if (options.migrate) {
      const { applied } = await migrate(db, (message) => log.info({ event: 'migrations' }, message));
      if (applied.length) log.info({ event: 'migrations.applied', applied }, 'migrations applied');
    }
    const secret = await loadSecret(db, config.secret);
    const ready = async () => {
      try {
        await Promise.all([pingMongo(db), pingRedis(redis)]);
        return true;
      } catch {
        return false;
      }
    };
    const root = compose({ config, log, db, redis, secret, ready });
    return {
      config,
      log,
      mongo: client,
      db,
      redis,
      secret,
      ready,
      stores: root.stores,
      services: root.services,
      close: async () => {
        await root.close();
        await Promise.allSettled([client.close(), redis.quit()]);
      },
    };
  } catch (err) {
    await Promise.allSettled([client.close(), redis.quit()]);
    throw err;
  }
}
