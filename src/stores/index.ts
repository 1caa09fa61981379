import type { Config } from '../config';
import { ensureLocalStores, type LocalStores, type StoreLog } from './local-stores';
import { findRunningLocalStores } from './running';

export { connectMongo, databaseName, mongoAnswers, pingMongo, redactMongoUrl, withDatabase } from './mongo';
export { connectRedis, pingRedis, redactRedisUrl, redisAnswers } from './redis';
export { ensureLocalStores, type LocalStores, type LocalStoresOptions } from './local-stores';
export { findRunningLocalStores, type RunningStores } from './running';
export { migrate } from './migrate';
export type { Migration } from './migration';
export { loadSecret } from './secret';
export { StoreError } from './errors';

export interface ResolveStoresOptions {
  /** `--local-stores`: find or start MongoDB/FerretDB and Redis on this machine */
  local: boolean;
  config: Config;
  env?: NodeJS.ProcessEnv;
  log?: StoreLog;
}

/**
 * The store URLs a command should use. With `local`, stores are found or started (and
 * recorded for other commands of this checkout); without it, MONGODB_URL/REDIS_URL when set,
 * else the local stores `npm start` is running, else the configured defaults.
 */
export async function resolveStores(options: ResolveStoresOptions): Promise<LocalStores> {
  const env = options.env ?? process.env;
  if (options.local) return ensureLocalStores({ env, log: options.log, writeStateFile: true });
  const running = env.MONGODB_URL && env.REDIS_URL ? undefined : findRunningLocalStores();
  return {
    mongodbUrl: env.MONGODB_URL ? options.config.mongodbUrl : (running?.mongodbUrl ?? options.config.mongodbUrl),
    redisUrl: env.REDIS_URL ? options.config.redisUrl : (running?.redisUrl ?? options.config.redisUrl),
    stop: async () => undefined,
  };
}
