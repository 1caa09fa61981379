import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, ObjectId, type Db } from 'mongodb';
import { findRunningLocalStores } from '../../src/stores/running';
import { ensureLocalStores } from '../../tools/local-stores';
import { migrate } from '../../src/stores/migrate';
import { ensureCollection, type Migration } from '../../src/stores/migration';
import { connectMongo, mongoAnswers } from '../../src/stores/mongo';
import { freePort } from '../../tools/local-stores/process';
import { redisAnswers } from '../../src/stores/redis';
import { loadSecret } from '../../src/stores/secret';
import { MIGRATIONS } from '../../migrations';
import { openTestStores, type TestStores } from '../support/stores';

let stores: TestStores;
const quiet = () => undefined;

beforeAll(async () => {
  stores = await openTestStores();
});
afterAll(async () => {
  await stores.close();
});

/** Another empty database on the same server, dropped after the test. */
async function withFreshDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = stores.mongo.db(`t_${randomBytes(4).toString('hex')}`);
  try {
    return await fn(db);
  } finally {
    await db.dropDatabase();
  }
}

async function indexKeys(db: Db, collection: string): Promise<string[]> {
  return (await db.collection(collection).listIndexes().toArray()).map((ix) => JSON.stringify(ix.key));
}

/** Names of every migration, as `migrate` reports them (`001-initial`, …). */
const ALL = MIGRATIONS.map((m) => `${String(m.id).padStart(3, '0')}-${m.name}`);

describe('migrations', () => {
  it('created the collections and indexes of 001-initial and record it as applied; 012 dropped the device indexes 002 made redundant', async () => {
    const names = (await stores.db.listCollections().toArray()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['devices', 'device_params', 'tasks', 'settings', 'migrations', 'task_announcements']));
    const fields = ['deviceId.productClass', 'deviceId.oui', 'deviceId.serialNumber', 'softwareVersion', 'lastInformAt', 'registeredAt', 'tags'];
    const deviceIndexes = await indexKeys(stores.db, 'devices');
    expect(deviceIndexes).toEqual(expect.arrayContaining(fields.map((f) => JSON.stringify({ [f]: 1, _id: 1 }))));
    for (const f of fields) expect(deviceIndexes).not.toContain(JSON.stringify({ [f]: 1 }));
    expect(await indexKeys(stores.db, 'tasks')).toEqual(
      expect.arrayContaining([
        '{"deviceId":1,"status":1,"createdAt":1}',
        '{"status":1,"expiresAt":1}',
        '{"status":1,"sessionId":1}',
        '{"jobId":1,"status":1}',
      ]),
    );
    expect(await stores.db.collection('migrations').findOne({ _id: 1 as never })).toMatchObject({ name: 'initial' });
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(stores.db, quiet)).toEqual({ applied: [] });
  });

  it('is idempotent even when a migration runs again on a migrated database', async () => {
    const before = await indexKeys(stores.db, 'tasks');
    for (const m of MIGRATIONS) await m.up(stores.db);
    expect(await indexKeys(stores.db, 'tasks')).toEqual(before);
  });

  it('applies each migration once when two replicas start together', async () => {
    await withFreshDb(async (db) => {
      const [a, b] = await Promise.all([migrate(db, quiet), migrate(db, quiet)]);
      expect([...a.applied, ...b.applied]).toEqual(ALL);
      expect(await db.collection('migrations').countDocuments({ _id: 1 as never })).toBe(1);
      expect(await db.collection('migrations').countDocuments({ _id: 'lock' as never })).toBe(0);
    });
  });

  it('runs every migration of a sequence exactly once, in order, across concurrent callers', async () => {
    await withFreshDb(async (db) => {
      const step = (id: number): Migration => ({
        id,
        name: `step-${id}`,
        async up(target) {
          // a slow step, so the callers really overlap
          await sleep(100);
          await target.collection('runs').insertOne({ step: id, at: new Date() });
        },
      });
      const sequence = [step(1), step(2), step(5)];
      const results = await Promise.all([1, 2, 3].map(() => migrate(db, quiet, sequence)));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(['001-step-1', '002-step-2', '005-step-5']);
      const runs = await db.collection('runs').find().sort({ at: 1 }).toArray();
      expect(runs.map((r) => r.step)).toEqual([1, 2, 5]);
    });
  });

  it('does not record a migration that failed, and applies it on the next call', async () => {
    await withFreshDb(async (db) => {
      let fail = true;
      const flaky: Migration = {
        id: 1,
        name: 'flaky',
        async up() {
          if (fail) throw new Error('boom');
        },
      };
      await expect(migrate(db, quiet, [flaky])).rejects.toThrow('boom');
      fail = false;
      expect(await migrate(db, quiet, [flaky])).toEqual({ applied: ['001-flaky'] });
    });
  });

  it('breaks a lock whose holder died, after it expired', async () => {
    await withFreshDb(async (db) => {
      await db.collection('migrations').insertOne({
        _id: 'lock' as never,
        owner: 'dead-replica',
        host: 'elsewhere',
        pid: 1,
        expiresAt: new Date(Date.now() + 500),
      });
      const messages: string[] = [];
      expect(await migrate(db, (m) => messages.push(m))).toEqual({ applied: ALL });
      expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('waiting for elsewhere pid 1'), expect.stringContaining('removed the expired lock')]));
    });
  });

  it('refuses a sequence whose ids are not increasing', async () => {
    const m = (id: number): Migration => ({ id, name: 'x', up: async () => undefined });
    await expect(migrate(stores.db, quiet, [m(2), m(1)])).rejects.toThrow('001-x is out of order');
  });
});

describe('what the code relies on in the MongoDB server (FerretDB or mongod)', () => {
  it('finds the right document by _id among 5,000', async () => {
    const coll = stores.db.collection<{ _id: string; n: number }>('lookup');
    await coll.insertMany(Array.from({ length: 5000 }, (_, n) => ({ _id: `dev-${n}`, n })));
    expect(await coll.findOne({ _id: 'dev-3217' })).toEqual({ _id: 'dev-3217', n: 3217 });
    expect(await coll.findOne({ _id: 'dev-5000' })).toBeNull();
    await coll.updateOne({ _id: 'dev-42' }, { $set: { n: -42 } });
    expect(await coll.find({ n: { $lt: 0 } }).toArray()).toEqual([{ _id: 'dev-42', n: -42 }]);
  });

  it('pages through string _ids in order both ways, with cursors, ranges, $in and other conditions', async () => {
    // Shaped like device ids (URL-encoded product class); a multiplier coprime with 100,000 mixes the insertion order.
    const ids = Array.from({ length: 3000 }, (_, i) => `00562B-CP%2D88${i % 7}1-SN${String((i * 7919) % 100_000).padStart(5, '0')}`);
    const coll = stores.db.collection<{ _id: string; tag: string }>('pages');
    await coll.insertMany(ids.map((_id, i) => ({ _id, tag: i % 3 === 0 ? 'a' : 'b' })));
    const ascending = [...ids].sort();
    const inA = new Set(ids.filter((_, i) => i % 3 === 0));
    const tagged = ascending.filter((id) => inA.has(id));
    const pages = async (dir: 1 | -1, tag?: string) => {
      const seen: string[] = [];
      for (let last: string | undefined; ; ) {
        const cursor = last === undefined ? {} : { _id: { [dir === 1 ? '$gt' : '$lt']: last } };
        const page = await coll.find({ ...cursor, ...(tag ? { tag } : {}) }).sort({ _id: dir }).limit(101).toArray();
        seen.push(...page.map((d) => d._id));
        if (page.length < 101) return seen;
        last = page.at(-1)!._id;
      }
    };
    expect(await pages(1)).toEqual(ascending);
    expect(await pages(-1)).toEqual([...ascending].reverse());
    expect(await pages(1, 'a')).toEqual(tagged);
    expect(await pages(-1, 'a')).toEqual([...tagged].reverse());
    const [low, high] = [ascending[500], ascending[520]];
    expect((await coll.find({ _id: { $gte: low, $lt: high } }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(ascending.slice(500, 520));
    expect((await coll.find({ _id: { $lte: low } }).sort({ _id: -1 }).limit(3).toArray()).map((d) => d._id)).toEqual([ascending[500], ascending[499], ascending[498]]);
    const some = [ascending[7], ascending[2999], 'no-such-id', ascending[1234]];
    expect((await coll.find({ _id: { $in: some }, tag: { $in: ['a', 'b'] } }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([ascending[7], ascending[1234], ascending[2999]]);
    expect(await coll.countDocuments({ _id: { $in: some, $nin: [ascending[7]] } })).toBe(2);
    expect(await coll.countDocuments({ _id: { $gt: ascending[2990] }, tag: 'b' })).toBe(ascending.slice(2991).filter((id) => !inA.has(id)).length);
  });

  it('matches strings in fields and arrays exactly as MongoDB does, whatever else the documents hold', async () => {
    type Doc = { _id: string; [field: string]: unknown };
    const coll = stores.db.collection<Doc>('fields');
    await coll.insertMany([
      { _id: 'd1', tags: ['floor-3', 'lobby'], status: 'pending', "it's": 'x' },
      { _id: 'd2', tags: 'floor-3', status: 'sent' },
      { _id: 'd3', tags: [{ name: 'floor-3' }], status: 'pending' },
      { _id: 'd4', tags: ['Floor-3', 'floor-30'], status: 3 },
      { _id: 'd5', status: { nested: 'pending' }, "it's": 'y' },
      { _id: 'd6', tags: [], status: null },
      { _id: 'd7', tags: ['floor-3', 7], status: 'pend\u00e9ing "q"' },
    ]);
    const ids = async (filter: Record<string, unknown>) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ tags: 'floor-3' })).toEqual(['d1', 'd2', 'd7']);
    expect(await ids({ tags: { $in: ['lobby', 'floor-30'] } })).toEqual(['d1', 'd4']);
    expect(await ids({ tags: { $all: ['floor-3', 'lobby'] } })).toEqual(['d1']);
    expect(await ids({ tags: { $all: ['floor-3'] }, status: { $in: ['pending', 'sent'] } })).toEqual(['d1', 'd2']);
    expect(await ids({ status: 'pending', _id: { $gt: 'd1' } })).toEqual(['d3']);
    expect(await ids({ status: 'pend\u00e9ing "q"' })).toEqual(['d7']);
    expect(await ids({ "it's": 'y' })).toEqual(['d5']);
    expect(await ids({ tags: 7 })).toEqual(['d7']);
    expect(await ids({ status: { $in: [3, 'sent'] } })).toEqual(['d2', 'd4']);
    expect(await ids({ tags: { $in: ['nowhere'] } })).toEqual([]);
    expect((await coll.updateMany({ tags: 'floor-3', status: 'pending' }, { $set: { seen: true } })).modifiedCount).toBe(1);
    expect((await coll.deleteMany({ tags: { $all: ['floor-3', 'lobby'] } })).deletedCount).toBe(1);
    expect(await ids({ tags: 'floor-3' })).toEqual(['d2', 'd7']);
  });

  it('sorts ObjectId _ids by their bytes, as a page of tasks or audit entries needs', async () => {
    const ids = Array.from({ length: 300 }, () => new ObjectId());
    const coll = stores.db.collection<{ _id: ObjectId }>('object_ids');
    await coll.insertMany([...ids].reverse().map((_id) => ({ _id })));
    const hex = ids.map((id) => id.toHexString()).sort();
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id.toHexString())).toEqual(hex);
    expect((await coll.find({ _id: { $lt: new ObjectId(hex[100]) } }).sort({ _id: -1 }).limit(5).toArray()).map((d) => d._id.toHexString())).toEqual(hex.slice(95, 100).reverse());
  });

  it('matches an _id filter with further conditions only when all of them hold', async () => {
    const coll = stores.db.collection<{ _id: string; status: string; n: number }>('cas');
    await coll.insertMany([
      { _id: 'a', status: 'pending', n: 1 },
      { _id: 'b', status: 'sent', n: 1 },
    ]);
    expect(await coll.findOne({ _id: 'a', status: 'pending' })).toMatchObject({ n: 1 });
    expect(await coll.findOne({ _id: 'a', status: 'sent' })).toBeNull();
    expect(await coll.findOne({ _id: 'a', $or: [{ status: 'sent' }, { n: 1 }] })).toMatchObject({ _id: 'a' });
    expect((await coll.updateOne({ _id: 'b', status: 'pending' }, { $set: { n: 2 } })).matchedCount).toBe(0);
    expect((await coll.updateOne({ _id: 'b', status: 'sent', n: { $lt: 5 } }, { $set: { n: 2 } })).modifiedCount).toBe(1);
    expect(await coll.findOneAndUpdate({ _id: 'b', status: 'sent' }, { $set: { status: 'done' } }, { returnDocument: 'after' })).toMatchObject({ status: 'done', n: 2 });
  });

  it('rejects a second insert of the same _id with code 11000 (locks and the secret depend on it)', async () => {
    const coll = stores.db.collection<{ _id: string }>('unique');
    await coll.insertOne({ _id: 'x' });
    const err = await coll.insertOne({ _id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
  });

  it('creates the missing indexes of a createIndexes call that repeats existing ones', async () => {
    const coll = stores.db.collection('indexed');
    await coll.createIndexes([{ key: { a: 1 } }, { key: { c: 1 } }, { key: { e: 1 } }]);
    await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }, { key: { d: 1 } }, { key: { e: 1 } }]);
    expect((await indexKeys(stores.db, 'indexed')).sort()).toEqual(['{"_id":1}', '{"a":1}', '{"b":1}', '{"c":1}', '{"d":1}', '{"e":1}']);
  });

  it('applies concurrent $inc updates of one document without losing any', async () => {
    const coll = stores.db.collection<{ _id: string; n: number }>('counters');
    await coll.insertOne({ _id: 'c', n: 0 });
    await Promise.all(Array.from({ length: 200 }, () => coll.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
    expect((await coll.findOne({ _id: 'c' }))?.n).toBe(200);
  });

  it('hands each document to one findOneAndUpdate caller only', async () => {
    const coll = stores.db.collection<{ _id: string; status: string; by?: number }>('claims');
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `t${i}`, status: 'pending' })));
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, by) => coll.findOneAndUpdate({ status: 'pending' }, { $set: { status: 'sent', by } })),
    );
    const claimed = claims.filter((d) => d !== null).map((d) => d._id);
    expect(claimed).toHaveLength(20);
    expect(new Set(claimed).size).toBe(20);
  });

  /** Opens many pooled connections (slow scans in parallel), so the commands that follow really run side by side. */
  async function warmPool(): Promise<void> {
    const warm = stores.db.collection<{ _id: number }>('warm');
    if ((await warm.countDocuments()) === 0) await warm.insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: i })));
    await Promise.all(Array.from({ length: 40 }, () => warm.find({ _id: { $gte: 0 } }).toArray()));
  }

  it('deletes one document per concurrent deleteOne, as long as any match', async () => {
    await warmPool();
    const coll = stores.db.collection<{ _id: string; status: string }>('queue');
    await coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `q${i}`, status: 'pending' })));
    const results = await Promise.all(Array.from({ length: 80 }, () => coll.deleteOne({ status: 'pending' })));
    expect(results.map((r) => r.deletedCount).reduce((a, b) => a + b)).toBe(50);
    expect(await coll.countDocuments()).toBe(0);
  });

  it('lets only one of two concurrent conditional updates win', async () => {
    await warmPool();
    const coll = stores.db.collection<{ _id: string; version: number }>('versions');
    await coll.insertOne({ _id: 'v', version: 1 });
    const results = await Promise.all(Array.from({ length: 50 }, () => coll.updateOne({ _id: 'v', version: 1 }, { $inc: { version: 1 } })));
    expect(results.map((r) => r.modifiedCount).reduce((a, b) => a + b)).toBe(1);
    expect((await coll.findOne({ _id: 'v' }))?.version).toBe(2);
  });

  it('lets ensureCollection create an existing collection', async () => {
    await ensureCollection(stores.db, 'devices');
    await ensureCollection(stores.db, 'devices');
    expect(await stores.db.listCollections({ name: 'devices' }).toArray()).toHaveLength(1);
  });
});

describe('loadSecret', () => {
  it('returns the configured secret', async () => {
    const configured = 'c'.repeat(40);
    expect((await loadSecret(stores.db, configured)).toString('utf8')).toBe(configured);
  });

  it('generates one 32-byte secret that concurrent first callers and later callers share', async () => {
    await withFreshDb(async (db) => {
      const [a, b] = await Promise.all([loadSecret(db), loadSecret(db)]);
      expect(a).toHaveLength(32);
      expect(b.equals(a)).toBe(true);
      expect((await loadSecret(db)).equals(a)).toBe(true);
      await withFreshDb(async (other) => expect((await loadSecret(other)).equals(a)).toBe(false));
    });
  });
});

describe('connectMongo', () => {
  it('names the unreachable URL without its password', async () => {
    const port = await freePort();
    const err = await connectMongo(`mongodb://admin:hunter2@127.0.0.1:${port}/acs`, { timeoutMs: 300 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`127.0.0.1:${port}/acs`);
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('keeps a pool size the URL sets, else uses the caller\'s or 50', async () => {
    const url = new URL(stores.mongodbUrl);
    url.searchParams.delete('maxPoolSize');
    const withPool = new URL(url);
    withPool.searchParams.set('maxPoolSize', '3');
    const cases: Array<[string, number | undefined, number]> = [
      [withPool.href, undefined, 3],
      [url.href, undefined, 50],
      [url.href, 7, 7],
      [withPool.href, 7, 7],
    ];
    for (const [target, asked, expected] of cases) {
      const { client } = await connectMongo(target, { maxPoolSize: asked });
      await client.close();
      expect([target, asked, client.options.maxPoolSize]).toEqual([target, asked, expected]);
    }
  });
});

describe('test harness', () => {
  it('gives each test file its own database and Redis prefix, and close() removes both', async () => {
    const other = await openTestStores();
    expect(other.db.databaseName).not.toBe(stores.db.databaseName);
    expect(other.redisPrefix).not.toBe(stores.redisPrefix);
    expect(other.config().redisPrefix).toBe(other.redisPrefix);
    expect(other.config({ ACS_API_PORT: '0' }).apiPort).toBe(0);
    await other.db.collection('devices').insertOne({ _id: 'd' as never });
    const keys = Array.from({ length: 1500 }, (_, i) => `${other.redisPrefix}k${i}`);
    await other.redis.mset(...keys.flatMap((k) => [k, '1']));
    await stores.redis.set(`${stores.redisPrefix}kept`, '1');
    await other.close();
    expect(await stores.redis.exists(keys[0], keys[1499])).toBe(0);
    expect(await stores.redis.get(`${stores.redisPrefix}kept`)).toBe('1');
    const dbs = await stores.mongo.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).not.toContain(other.db.databaseName);
  });
});

describe('ensureLocalStores', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'acs-local-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a MONGODB_URL where nothing answers, naming it', async () => {
    const port = await freePort();
    const err = await ensureLocalStores({ dataDir, env: { MONGODB_URL: `mongodb://u:secret@127.0.0.1:${port}/acs` }, log: quiet }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(new RegExp(`^MONGODB_URL is set to mongodb://.*@127\\.0\\.0\\.1:${port}/acs, but nothing answers there$`));
    expect((err as Error).message).not.toContain('secret');
  });

  it('starts a redis-server when no Redis answers, records it for CLI commands, and stops it', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const local = await ensureLocalStores({
      dataDir,
      env: { MONGODB_URL: stores.mongodbUrl },
      defaultRedisUrl: closed,
      writeStateFile: true,
      log: quiet,
    });
    try {
      expect(local.mongodbUrl).toBe(stores.mongodbUrl);
      expect(local.redisUrl).not.toBe(closed);
      expect(await redisAnswers(local.redisUrl)).toBe(true);
      expect(findRunningLocalStores(dataDir)).toEqual({ mongodbUrl: stores.mongodbUrl, redisUrl: local.redisUrl, pid: process.pid });
    } finally {
      await local.stop();
    }
    expect(await redisAnswers(local.redisUrl)).toBe(false);
    expect(existsSync(path.join(dataDir, 'local-stores.json'))).toBe(false);
    expect(findRunningLocalStores(dataDir)).toBeUndefined();
  });

  it('starts a MongoDB-compatible server with its data where asked, and stops it', async () => {
    const local = await ensureLocalStores({ storageDir: path.join(dataDir, 'db'), env: { REDIS_URL: stores.redisUrl }, log: quiet });
    try {
      expect(local.mongodbUrl).not.toBe(process.env.ACS_TEST_MONGODB_URL);
      const { client, db } = await connectMongo(local.mongodbUrl);
      expect(await migrate(db, quiet)).toEqual({ applied: ALL });
      await client.close();
    } finally {
      await local.stop();
    }
    expect(await mongoAnswers(local.mongodbUrl)).toBe(false);
  });
});
