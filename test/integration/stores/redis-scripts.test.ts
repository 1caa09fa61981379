import { Redis } from 'ioredis';
import { withScripts } from '../../../src/cwmp/session/store';
// Loading these declares their scripts, as the composition root's imports do.
import '../../../src/console/feed';
import '../../../src/console/fleet-stats';
import { connectRedis, type RedisClient } from '../../../src/stores/redis';
import { declaredRedisScripts } from '../../../src/stores/redis-scripts';
import { openTestStores, type TestStores } from '../../support/stores';

// The project's Lua commands exist on a client from its creation. Defined late (on first use),
// a command called in the same turn as other auto-pipelined commands failed and handed the
// others' replies to the wrong callers, or threw where nothing caught it (ioredis issue 1931).
describe('Redis script commands', () => {
  let stores: TestStores;
  let redis: RedisClient | undefined;

  beforeAll(async () => {
    stores = await openTestStores();
  });
  afterEach(async () => {
    redis?.disconnect();
    redis = undefined;
  });
  afterAll(async () => {
    await stores.close();
  });

  test('every declared script is a command of a client as soon as connectRedis returns it', () => {
    const client = connectRedis(stores.redisUrl, { lazyConnect: true });
    redis = client;
    const names = Object.keys(declaredRedisScripts());
    expect(names).toEqual(expect.arrayContaining(['acsOpenSession', 'acsNonceCount', 'acsFleetUpdate']));
    for (const name of names) expect(typeof (client as unknown as Record<string, unknown>)[name]).toBe('function');
  });

  test('a script called in the same turn as other commands of a fresh client gets its own reply, and they theirs', async () => {
    const client = connectRedis(stores.redisUrl);
    redis = client;
    await client.ping();
    const key = `${stores.redisPrefix}scripts:value`;
    const nonce = `${stores.redisPrefix}scripts:nonce`;
    // One auto-pipeline: SET, the script, GET, the script again with a count already seen.
    const set = client.set(key, 'v');
    const first = withScripts(client).acsNonceCount(nonce, 3, 60_000);
    const get = client.get(key);
    const again = withScripts(client).acsNonceCount(nonce, 3, 60_000);
    expect(await set).toBe('OK');
    expect(await first).toBe(1);
    expect(await get).toBe('v');
    expect(await again).toBe(0);
  });

  test('a client not made by connectRedis is refused instead of being given the commands late', async () => {
    const bare = new Redis(stores.redisUrl, { lazyConnect: true });
    try {
      expect(() => withScripts(bare)).toThrow(/lacks the script command acsOpenSession/);
    } finally {
      bare.disconnect();
    }
  });
});
