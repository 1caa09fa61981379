import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from './paths';

/**
 * Where `npm start` records the local stores it started, so that other commands of the same
 * checkout (`acs migrate`, `acs devices ...`) reach them when MONGODB_URL/REDIS_URL are unset.
 * The stores themselves are started by tools/local-stores, which the image does not ship.
 */
export const LOCAL_STORES_STATE_FILE = 'local-stores.json';

export interface RunningStores {
  mongodbUrl: string;
  redisUrl: string;
  pid: number;
}

/** Whether a process with this pid exists (ours or another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The stores `npm start` of this checkout is running, if its process is still alive. */
export function findRunningLocalStores(dataDir: string = defaultDataDir()): RunningStores | undefined {
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(path.join(dataDir, LOCAL_STORES_STATE_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof state !== 'object' || state === null) return undefined;
  const { mongodbUrl, redisUrl, pid } = state as Record<string, unknown>;
  if (typeof mongodbUrl !== 'string' || typeof redisUrl !== 'string' || typeof pid !== 'number') return undefined;
  return isAlive(pid) ? { mongodbUrl, redisUrl, pid } : undefined;
}
