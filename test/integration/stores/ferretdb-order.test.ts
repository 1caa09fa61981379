/**
 * What the device list and the job planner rely on when the local FerretDB hands sorts on
 * (field, _id) and _id-only finds to SQLite (tools/local-stores/ferretdb/patches.ts,
 * FIELD_ORDER and ONLY_FIELDS): the answers are MongoDB's, whether the store pushed the work
 * down or fell back to doing it in Go. Every expectation is computed here from MongoDB's rules.
 */
import { ObjectId, type Collection, type Document } from 'mongodb';
import { conditionsAfter } from '../../../src/api/pagination';
import { openTestStores, type TestStores } from '../../support/stores';

let stores: TestStores;

beforeAll(async () => {
  stores = await openTestStores();
});
afterAll(async () => {
  await stores.close();
});

type Doc = { _id: string; at?: unknown; [field: string]: unknown };

/** MongoDB's sort order of the BSON types used here: null and missing, numbers, strings, dates. */
function rank(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (v instanceof Date) return 3;
  throw new Error(`no rank for ${String(v)}`);
}

function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  const [x, y] = ra === 3 ? [(a as Date).getTime(), (b as Date).getTime()] : [a as number | string, b as number | string];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The documents' ids in MongoDB's order for sort { [field]: dir, _id: dir }. */
function mongoOrder(docs: Doc[], dir: 1 | -1, field = 'at'): string[] {
  return [...docs].sort((a, b) => dir * (compareValues(a[field], b[field]) || compareValues(a._id, b._id))).map((d) => d._id);
}

/**
 * Every id of the collection, read in pages of `size` as the device list reads them (src/api/routes/devices.ts):
 * after a page, the conditions after its last key, each asked for in turn until the page is full.
 */
async function pages(coll: Collection<Doc>, dir: 1 | -1, size: number, filter: Document = {}): Promise<string[]> {
  const seen: string[] = [];
  for (let last: Doc | undefined; ; ) {
    const parts = last ? conditionsAfter('at', dir, (last.at as Date | undefined) ?? null, last._id).map((rest) => ({ $and: [filter, rest] })) : [filter];
    const page: Doc[] = [];
    for (const part of parts) {
      if (page.length === size) break;
      page.push(...(await coll.find(part).sort({ at: dir, _id: dir }).limit(size - page.length).toArray()));
    }
    seen.push(...page.map((d) => d._id));
    if (page.length < size) return seen;
    last = page.at(-1);
  }
}

/** Whether the store says it sorted in SQLite (FerretDB's explain; undefined on MongoDB). */
async function sortPushdown(coll: Collection<Doc>, dir: 1 | -1, field = 'at'): Promise<boolean | undefined> {
  const plan = (await coll.find({}).sort({ [field]: dir, _id: dir }).limit(5).explain()) as { sortPushdown?: boolean };
  return plan.sortPushdown;
}

const day = Date.parse('2025-06-01T00:00:00Z');

describe('sorts on (field, _id)', () => {
  it('pages dates and missing fields in MongoDB order both ways, ties by _id', async () => {
    const coll = stores.db.collection<Doc>('order_dates');
    await coll.createIndex({ at: 1, _id: 1 });
    // 600 devices, 1 in 7 never seen (no field), 40 distinct instants so that ties are many
    const docs: Doc[] = Array.from({ length: 600 }, (_, i) => {
      const _id = `00562B-CP%2D88${i % 7}1-SN${String((i * 7919) % 100_000).padStart(5, '0')}`;
      return i % 7 === 3 ? { _id, n: i } : { _id, at: new Date(day + ((i * 37) % 40) * 60_000), n: i };
    });
    await coll.insertMany(docs);
    // 514 dated and 86 without: with these sizes a page ends exactly where the dated rows end
    // (257 descending, 43 ascending), or one or several rows before it
    for (const dir of [1, -1] as const) {
      for (const size of [43, 51, 57, 257]) expect(await pages(coll, dir, size)).toEqual(mongoOrder(docs, dir));
      // 257 dated and 43 without
      const even = docs.filter((d) => (d.n as number) % 2 === 0);
      for (const size of [20, 43]) expect(await pages(coll, dir, size, { n: { $in: even.map((d) => d.n) } })).toEqual(mongoOrder(even, dir));
    }
    const range = { $gte: new Date(day + 10 * 60_000), $lt: new Date(day + 12 * 60_000) };
    const inRange = (d: Doc) => d.at instanceof Date && d.at >= range.$gte && d.at < range.$lt;
    expect(await pages(coll, -1, 7, { at: range })).toEqual(mongoOrder(docs.filter(inRange), -1));
    expect((await coll.find({ at: null }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(mongoOrder(docs.filter((d) => d.at === undefined), 1));
    expect(await coll.countDocuments({ at: { $ne: null } })).toBe(docs.filter((d) => d.at !== undefined).length);
    const [early, late] = [new Date(day + 5 * 60_000), new Date(day + 30 * 60_000)];
    const either = (d: Doc) => d.at instanceof Date && ((d.at >= early && d.at < range.$gte) || d.at >= late);
    expect(await pages(coll, 1, 9, { $or: [{ at: { $gte: early, $lt: range.$gte } }, { at: { $gte: late } }] })).toEqual(mongoOrder(docs.filter(either), 1));
    const pushed = await sortPushdown(coll, -1);
    if (pushed !== undefined) expect(pushed).toBe(true);
  });

  it('pages explicit nulls with the missing fields, ties by _id, both ways', async () => {
    const coll = stores.db.collection<Doc>('order_nulls');
    await coll.createIndex({ at: 1, _id: 1 });
    const docs: Doc[] = Array.from({ length: 60 }, (_, i) => {
      const _id = `n${String((i * 17) % 60).padStart(2, '0')}`;
      return i % 5 === 1 ? { _id } : i % 5 === 3 ? { _id, at: null } : { _id, at: new Date(day + (i % 4) * 60_000) };
    });
    await coll.insertMany(docs);
    // 36 dated, 24 null or missing
    for (const dir of [1, -1] as const) for (const size of [4, 5, 12]) expect(await pages(coll, dir, size)).toEqual(mongoOrder(docs, dir));
  });

  it('keeps MongoDB order when the field holds other types (numbers, strings, null, dates before 2001)', async () => {
    const coll = stores.db.collection<Doc>('order_mixed');
    await coll.createIndex({ at: 1, _id: 1 });
    const docs: Doc[] = [
      { _id: 'a', at: new Date(day) },
      { _id: 'b', at: 5 },
      { _id: 'c', at: 1_700_000_000_000 },
      { _id: 'd', at: 'x' },
      { _id: 'e', at: null },
      { _id: 'f' },
      { _id: 'g', at: new Date('1999-01-01T00:00:00Z') },
      { _id: 'h', at: new Date(day - 1) },
      { _id: 'i', at: 40 },
    ];
    await coll.insertMany(docs);
    for (const dir of [1, -1] as const) {
      expect(await coll.find({}).sort({ at: dir, _id: dir }).map((d) => d._id).toArray()).toEqual(mongoOrder(docs, dir));
      expect(await coll.find({}).sort({ at: dir, _id: dir }).limit(3).map((d) => d._id).toArray()).toEqual(mongoOrder(docs, dir).slice(0, 3));
    }
    expect(await coll.find({ at: { $lt: new Date(day) } }).sort({ _id: 1 }).map((d) => d._id).toArray()).toEqual(['g', 'h']);
    expect(await coll.find({ at: null }).sort({ _id: 1 }).map((d) => d._id).toArray()).toEqual(['e', 'f']);
    expect(await coll.find({ $or: [{ at: { $gt: new Date(day - 1) } }, { at: { $lt: 10 } }] }).sort({ _id: 1 }).map((d) => d._id).toArray()).toEqual(['a', 'b']);
  });

  it('falls back to MongoDB order once a write puts another type in a field it sorted by', async () => {
    const coll = stores.db.collection<Doc>('order_changed');
    await coll.createIndex({ at: 1, _id: 1 });
    const docs: Doc[] = Array.from({ length: 50 }, (_, i) => ({ _id: `d${String(i).padStart(2, '0')}`, at: new Date(day + i * 1000) }));
    await coll.insertMany(docs);
    expect(await coll.find({}).sort({ at: 1, _id: 1 }).limit(5).map((d) => d._id).toArray()).toEqual(mongoOrder(docs, 1).slice(0, 5));
    // a number sorts before every date on MongoDB; its text would sort after them
    await coll.updateOne({ _id: 'd30' }, { $set: { at: 9_999_999_999_999 } });
    docs[30].at = 9_999_999_999_999;
    expect(await coll.find({}).sort({ at: 1, _id: 1 }).limit(5).map((d) => d._id).toArray()).toEqual(mongoOrder(docs, 1).slice(0, 5));
    // an explicit null sorts with the missing fields, first ascending
    await coll.insertOne({ _id: 'z', at: null });
    docs.push({ _id: 'z', at: null });
    expect(await coll.find({}).sort({ at: 1, _id: 1 }).map((d) => d._id).toArray()).toEqual(mongoOrder(docs, 1));
    expect(await coll.find({}).sort({ at: -1, _id: -1 }).map((d) => d._id).toArray()).toEqual(mongoOrder(docs, -1));
  });

  it('proves the fields of every (field, _id) index together, each on its own values, and keeps checking them all', async () => {
    const coll = stores.db.collection<Doc>('order_several');
    for (const field of ['at', 'seen', 'label', 'booted']) await coll.createIndex({ [field]: 1, _id: 1 });
    // seen: dates and one number of 13 digits, whose text is a date's (only its type differs); label: strings
    const docs: Doc[] = Array.from({ length: 40 }, (_, i) => ({
      _id: `s${String(i).padStart(2, '0')}`,
      at: new Date(day + ((i * 7) % 40) * 1000),
      seen: i === 17 ? 1_750_000_000_000 : new Date(day - i * 1000),
      label: `l${i % 3}`,
      booted: new Date(day + (i % 5) * 1000),
      // no index: proven on its own; an explicit null sorts first ascending, its text 'null' last
      noted: i === 5 ? null : new Date(day + i * 1000),
    }));
    await coll.insertMany(docs);
    const sorted = (field: string, dir: 1 | -1) => coll.find({}).sort({ [field]: dir, _id: dir }).map((d) => d._id).toArray();
    // the first sort proves (or refutes) the other indexed fields as well
    expect(await sorted('at', -1)).toEqual(mongoOrder(docs, -1));
    for (const field of ['seen', 'label', 'booted', 'noted']) for (const dir of [1, -1] as const) expect(await sorted(field, dir)).toEqual(mongoOrder(docs, dir, field));
    const pushed = await Promise.all(['at', 'seen', 'label', 'booted'].map((field) => sortPushdown(coll, 1, field)));
    if (pushed[0] !== undefined) expect(pushed).toEqual([true, false, false, true]);
    // a number sorts before every date on MongoDB; its text ('5') would sort after them
    await coll.updateOne({ _id: 's03' }, { $set: { booted: 5 } });
    docs[3].booted = 5;
    expect(await sorted('booted', 1)).toEqual(mongoOrder(docs, 1, 'booted'));
  });

  it('proves each collection on its own: another type in one does not change the other', async () => {
    const clean = stores.db.collection<Doc>('order_clean');
    const dirty = stores.db.collection<Doc>('order_dirty');
    const docs: Doc[] = Array.from({ length: 30 }, (_, i) => ({ _id: `k${String(i).padStart(2, '0')}`, at: new Date(day - i * 1000) }));
    await clean.insertMany(docs);
    // a number sorts after every date descending on MongoDB; its text ('5') would sort first
    await dirty.insertMany([...docs, { _id: 'n', at: 5 }]);
    expect(await clean.find({}).sort({ at: -1, _id: -1 }).map((d) => d._id).toArray()).toEqual(mongoOrder(docs, -1));
    expect(await dirty.find({}).sort({ at: -1, _id: -1 }).map((d) => d._id).toArray()).toEqual(mongoOrder([...docs, { _id: 'n', at: 5 }], -1));
    const [cleanPushed, dirtyPushed] = [await sortPushdown(clean, -1), await sortPushdown(dirty, -1)];
    if (cleanPushed !== undefined) expect([cleanPushed, dirtyPushed]).toEqual([true, false]);
  });
});

describe('finds that return only _id', () => {
  it('select exactly what MongoDB selects, whatever the filter looks at', async () => {
    const coll = stores.db.collection<Doc>('only_ids');
    const oid = new ObjectId('5f1d7f3e9b1e8b3a2c4d5e6f');
    const docs: Doc[] = [
      { _id: 'd1', tags: ['floor-3', 'lobby'], deviceId: { productClass: 'CP-8851', oui: '00562B' }, at: new Date(day) },
      { _id: 'd2', tags: 'floor-3', deviceId: { productClass: 'CP-7841' } },
      { _id: 'd3', tags: [{ name: 'floor-3' }], deviceId: 'CP-8851' },
      { _id: 'd4', tags: ['Floor-3', 'floor-30'], owner: oid },
      { _id: 'd5', tags: null, owner: oid.toHexString() },
      { _id: 'd6', tags: [], at: new Date(day + 1) },
      { _id: 'd7', tags: ['floor-3', 7] },
    ];
    await coll.insertMany(docs);
    const ids = async (filter: Document, sort?: Document) =>
      (await coll.find(filter, { projection: { _id: 1 }, ...(sort ? { sort } : {}) }).toArray()).map((d) => {
        expect(Object.keys(d)).toEqual(['_id']);
        return d._id;
      });
    const sorted = async (filter: Document) => (await ids(filter)).sort();
    expect(await sorted({ tags: 'floor-3' })).toEqual(['d1', 'd2', 'd7']);
    expect(await sorted({ tags: { $all: ['floor-3', 'lobby'] } })).toEqual(['d1']);
    expect(await sorted({ tags: { $size: 0 } })).toEqual(['d6']);
    expect(await sorted({ tags: null })).toEqual(['d5']);
    expect(await sorted({ tags: { $exists: false } })).toEqual([]);
    expect(await sorted({ 'tags.name': 'floor-3' })).toEqual(['d3']);
    expect(await sorted({ 'deviceId.productClass': 'CP-8851' })).toEqual(['d1']);
    expect(await sorted({ deviceId: 'CP-8851' })).toEqual(['d3']);
    expect(await sorted({ owner: oid })).toEqual(['d4']);
    expect(await sorted({ owner: oid.toHexString() })).toEqual(['d5']);
    expect(await sorted({ at: { $gte: new Date(day) } })).toEqual(['d1', 'd6']);
    expect(await sorted({ $or: [{ tags: 'lobby' }, { owner: oid }] })).toEqual(['d1', 'd4']);
    expect(await sorted({ _id: { $gt: 'd4' }, tags: { $type: 'array' } })).toEqual(['d6', 'd7']);
    expect(await ids({ tags: { $exists: true } }, { at: -1, _id: -1 })).toEqual(['d6', 'd1', 'd7', 'd5', 'd4', 'd3', 'd2']);
    // the tasks sweep's shape: $or of branches with $exists and date comparisons
    const sweep = { $or: [{ at: { $lte: new Date(day) } }, { owner: { $exists: true }, at: { $exists: false } }, { deviceId: { $exists: true }, 'deviceId.oui': { $exists: false } }] };
    expect((await coll.find(sweep).toArray()).map((d) => d._id).sort()).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
    expect(await sorted({ at: { $exists: false }, tags: { $exists: true, $in: ['lobby', 'floor-30'] } })).toEqual(['d4']);
    expect(await ids({}, { _id: -1 })).toEqual(['d7', 'd6', 'd5', 'd4', 'd3', 'd2', 'd1']);
  });
});
