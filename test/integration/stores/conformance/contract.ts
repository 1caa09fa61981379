import { scanKeys, type RedisClient } from '../../../../src/stores/redis';
import { openTestStores, type TestStores } from '../../../support/stores';

/**
 * The conformance pattern: a port's contract is a set of cases written once against a fixture
 * (the port plus what the cases need to arrange and observe), and every implementation of the
 * port runs all of them: the in-memory one the unit tests use and the real store. A case the
 * fake gets wrong fails here, so the fakes cannot drift from the stores they stand for.
 *
 *   contract('devices', [memory(() => ...), real((stores) => ...)], (fixture) => {
 *     it('...', async () => { const { devices } = fixture(); ... });
 *   });
 */
export interface Implementation<F> {
  name: string;
  /** once per file; `make` builds a fresh fixture for each case */
  setup(): Promise<{ make(): F | Promise<F>; close(): Promise<void> }>;
}

export function contract<F>(port: string, implementations: Array<Implementation<F>>, cases: (fixture: () => F) => void): void {
  describe.each(implementations.map((i) => [i.name, i] as const))(`${port} contract: %s`, (_name, implementation) => {
    let env: Awaited<ReturnType<Implementation<F>['setup']>>;
    let current: F | undefined;
    beforeAll(async () => {
      env = await implementation.setup();
    });
    afterAll(async () => {
      await env?.close();
    });
    beforeEach(async () => {
      current = await env.make();
    });
    cases(() => {
      if (!current) throw new Error('fixture used outside a case');
      return current;
    });
  });
}

/** An implementation needing no servers. */
export function inMemory<F>(make: () => F | Promise<F>): Implementation<F> {
  return { name: 'in memory', setup: async () => ({ make, close: async () => undefined }) };
}

/** An implementation on the test's own FerretDB database and Redis prefix (test/support/stores). */
export function onStores<F>(name: string, make: (stores: TestStores) => F | Promise<F>): Implementation<F> {
  return {
    name,
    setup: async () => {
      const stores = await openTestStores();
      return { make: () => make(stores), close: () => stores.close() };
    },
  };
}

/**
 * A test clock for keys in Redis: advancing it shortens the TTL of every key under the prefix
 * by as much (deleting those it runs out), as if that time had passed, and `now` runs ahead of
 * the wall clock by the same amount. So the TTL cases run on Redis as on the in-memory stores,
 * without waiting.
 */
export class RedisClock {
  private offset = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  readonly now = (): number => Date.now() + this.offset;

  async advance(ms: number): Promise<void> {
    this.offset += ms;
    const keys = await scanKeys(this.redis, `${this.prefix}*`, 10_000);
    if (keys.length >= 10_000) throw new Error(`too many keys under ${this.prefix}`);
    for (const key of keys) {
      const left = await this.redis.pttl(key);
      if (left < 0) continue;
      if (left <= ms) await this.redis.del(key);
      else await this.redis.pexpire(key, left - ms);
    }
  }
}

let corner = 0;
/** A key prefix of the test's own for one case, so cases on one Redis never see each other's keys. */
export function casePrefix(stores: TestStores): string {
  return `${stores.redisPrefix}c${corner++}:`;
}
