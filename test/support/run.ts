import type { LocalStores } from '../../src/stores/local-stores';

/** Variables through which global-setup hands the store URLs to test workers. */
export const TEST_ENV = { mongodbUrl: 'ACS_TEST_MONGODB_URL', redisUrl: 'ACS_TEST_REDIS_URL' } as const;

export interface TestRun {
  stores: LocalStores;
  storageDir: string;
}
