import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureLocalStores } from '../../tools/local-stores';
import { TEST_ENV, type TestRun } from './run';

/**
 * Starts the stores once per jest run: MONGODB_URL when set, else a FerretDB (built on first
 * use) whose data lives in a temporary directory; the machine's Redis, else a redis-server.
 * Workers are spawned after this runs and inherit the URLs through process.env.
 */
export default async function globalSetup(): Promise<void> {
  const storageDir = path.join(tmpdir(), `acs-test-${randomBytes(4).toString('hex')}`);
  const stores = await ensureLocalStores({ storageDir });
  process.env[TEST_ENV.mongodbUrl] = stores.mongodbUrl;
  process.env[TEST_ENV.redisUrl] = stores.redisUrl;
  const run: TestRun = { stores, storageDir };
  (globalThis as { __acsTestRun?: TestRun }).__acsTestRun = run;
}
