/**
 * What the bulk writes of the ACS (the announcement of many tasks, their release) rely on now
 * that the local FerretDB runs the statements of one `update` command in shared SQLite
 * transactions (tools/local-stores/ferretdb/patches.ts, BATCH_WHY): MongoDB's answers. An
 * ordered command stops at its first failing statement with the earlier ones kept, an
 * unordered one applies every statement that can be; a statement sees what the earlier ones
 * wrote; counts, upserted indexes and write errors are MongoDB's; and other connections
 * writing at the same time neither fail nor lose their writes or the batch's.
 */
import { MongoBulkWriteError, MongoClient, type AnyBulkWriteOperation, type Collection } from 'mongodb';
import { openTestStores, type TestStores } from '../../support/stores';

let stores: TestStores;

beforeAll(async () => {
  stores = await openTestStores();
});
afterAll(async () => {
  await stores.close();
});

type Doc = { _id: string; q?: string[]; n?: number; flag?: boolean };

let seq = 0;
async function collection(docs: Doc[]): Promise<Collection<Doc>> {
  const coll = stores.db.collection<Doc>(`bulk_${++seq}`);
  if (docs.length) await coll.insertMany(docs);
  return coll;
}

async function bulkError(run: Promise<unknown>): Promise<MongoBulkWriteError> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof MongoBulkWriteError)) throw new Error(`expected a MongoBulkWriteError, got ${String(err)}`);
  return err;
}

const byId = async (coll: Collection<Doc>) => Object.fromEntries((await coll.find().sort({ _id: 1 }).toArray()).map((d) => [d._id, d]));

describe('update commands of many statements', () => {
  it('apply every statement in order, each seeing what the earlier ones wrote', async () => {
    const coll = await collection([{ _id: 'a', q: [] }, { _id: 'b', q: [] }]);
    const r = await coll.bulkWrite(
      [
        { updateOne: { filter: { _id: 'a' }, update: { $addToSet: { q: 'x' } } } },
        { updateOne: { filter: { _id: 'a' }, update: { $addToSet: { q: 'y' } } } },
        { updateOne: { filter: { _id: 'a', q: 'y' }, update: { $set: { flag: true } } } },
        { updateOne: { filter: { _id: 'a' }, update: { $addToSet: { q: 'x' } } } },
        { updateMany: { filter: { q: 'x' }, update: { $addToSet: { q: 'z' } } } },
        { updateOne: { filter: { _id: 'a', q: 'z' }, update: { $set: { n: 1 } } } },
        { updateOne: { filter: { _id: 'missing' }, update: { $set: { n: 1 } } } },
      ],
      { ordered: true },
    );
    expect({ matched: r.matchedCount, modified: r.modifiedCount, upserted: r.upsertedCount }).toEqual({ matched: 6, modified: 5, upserted: 0 });
    const docs = await byId(coll);
    expect(docs.a).toEqual({ _id: 'a', q: ['x', 'y', 'z'], flag: true, n: 1 });
    expect(docs.b).toEqual({ _id: 'b', q: [] });
  });

  it('report each upsert under the index of its statement', async () => {
    const coll = await collection([{ _id: 'a' }]);
    const r = await coll.bulkWrite([
      { updateOne: { filter: { _id: 'a' }, update: { $set: { n: 1 } }, upsert: true } },
      { updateOne: { filter: { _id: 'new1' }, update: { $set: { n: 2 } }, upsert: true } },
      { updateOne: { filter: { _id: 'nothing' }, update: { $set: { n: 3 } } } },
      { updateOne: { filter: { _id: 'new2' }, update: { $set: { n: 4 } }, upsert: true } },
      { updateOne: { filter: { _id: 'new1' }, update: { $set: { n: 5 } }, upsert: true } },
    ]);
    expect(r.upsertedIds).toEqual({ 1: 'new1', 3: 'new2' });
    expect({ matched: r.matchedCount, modified: r.modifiedCount, upserted: r.upsertedCount }).toEqual({ matched: 2, modified: 2, upserted: 2 });
    expect(await byId(coll)).toEqual({ a: { _id: 'a', n: 1 }, new1: { _id: 'new1', n: 5 }, new2: { _id: 'new2', n: 4 } });
  });

  /** $inc of a string fails (TypeMismatch); an upsert of an existing _id fails (duplicate key). */
  const failing: AnyBulkWriteOperation<Doc>[] = [
    { updateOne: { filter: { _id: 'a' }, update: { $inc: { n: 1 } } } },
    { updateOne: { filter: { _id: 's' }, update: { $inc: { n: 1 } } } },
    { updateOne: { filter: { _id: 'b' }, update: { $inc: { n: 1 } } } },
    { updateOne: { filter: { _id: 'a', n: -1 }, update: { $set: { flag: true } }, upsert: true } },
    { updateOne: { filter: { _id: 'c' }, update: { $inc: { n: 1 } }, upsert: true } },
  ];
  // the driver's types have no field that is a number in one document and a string in another
  const seed = (): Doc[] => [{ _id: 'a', n: 0 }, { _id: 's', n: 'text' as unknown as number }, { _id: 'b', n: 0 }];

  it('unordered: apply every statement that can be, and report the others by their index', async () => {
    const coll = await collection(seed());
    const err = await bulkError(coll.bulkWrite(failing, { ordered: false }));
    expect([err.writeErrors].flat().map((e) => [e.index, e.code])).toEqual([
      [1, 14],
      [3, 11000],
    ]);
    expect({ matched: err.result.matchedCount, modified: err.result.modifiedCount, upserted: err.result.upsertedIds }).toEqual({ matched: 2, modified: 2, upserted: { 4: 'c' } });
    expect(await byId(coll)).toEqual({ a: { _id: 'a', n: 1 }, s: { _id: 's', n: 'text' }, b: { _id: 'b', n: 1 }, c: { _id: 'c', n: 1 } });
  });

  it('ordered: stop at the first failing statement, keeping the ones before it', async () => {
    const coll = await collection(seed());
    const err = await bulkError(coll.bulkWrite(failing, { ordered: true }));
    expect([err.writeErrors].flat().map((e) => [e.index, e.code])).toEqual([[1, 14]]);
    expect({ matched: err.result.matchedCount, modified: err.result.modifiedCount }).toEqual({ matched: 1, modified: 1 });
    expect(await byId(coll)).toEqual({ a: { _id: 'a', n: 1 }, s: { _id: 's', n: 'text' }, b: { _id: 'b', n: 0 } });
  });

  it('let other connections write meanwhile, losing nothing of theirs or of the batch', async () => {
    const devices = 600;
    const coll = await collection(Array.from({ length: devices }, (_, i) => ({ _id: `d${String(i).padStart(4, '0')}`, q: [] })));
    const other = stores.db.collection<{ _id: string }>(`bulk_other_${seq}`);
    const client = await MongoClient.connect(stores.mongodbUrl);
    let writer: Promise<void> = Promise.resolve();
    try {
      const db = client.db(stores.db.databaseName);
      const theirs = db.collection<Doc>(coll.collectionName);
      let batchDone = false;
      let writes = 0;
      // a second connection: read-modify-writes of the same devices and inserts elsewhere, while the batch runs
      writer = (async () => {
        for (let i = 0; !batchDone || i < 50; i++) {
          const id = `d${String((i * 7) % devices).padStart(4, '0')}`;
          await theirs.updateOne({ _id: id }, { $addToSet: { q: `c${i}` } });
          await db.collection<{ _id: string }>(other.collectionName).insertOne({ _id: `o${i}` });
          writes = i + 1;
        }
      })();
      const ops = [0, 1, 2].flatMap((round) =>
        Array.from({ length: devices }, (_, i): AnyBulkWriteOperation<Doc> => ({ updateOne: { filter: { _id: `d${String(i).padStart(4, '0')}` }, update: { $addToSet: { q: `b${round}` } } } })),
      );
      const r = await coll.bulkWrite(ops, { ordered: false }).finally(() => {
        batchDone = true;
      });
      await writer;
      expect(r.modifiedCount).toBe(3 * devices);
      const docs = await coll.find().toArray();
      for (const d of docs) expect(d.q?.filter((v) => v.startsWith('b')).sort()).toEqual(['b0', 'b1', 'b2']);
      const theirValues = new Set(docs.flatMap((d) => d.q?.filter((v) => v.startsWith('c')) ?? []));
      expect(theirValues.size).toBe(writes);
      expect(await other.countDocuments()).toBe(writes);
    } finally {
      await writer.catch(() => undefined);
      await client.close();
    }
  });

  // The date sort's proof (acs_sort.go) is tracked and checked by writes while a batch's
  // segment holds it for reading: a batch whose statements filter on a date field must not
  // wait on it (neither before the proof nor after), and a write that breaks the proof inside
  // a batch must refute it.
  it('filter on indexed date fields, before and after the sort proved them, and refute the proof when a statement breaks it', async () => {
    type Dated = { _id: string; at?: Date; other?: Date; seen?: number };
    const coll = stores.db.collection<Dated>(`bulk_dated_${++seq}`);
    await coll.createIndex({ at: 1, _id: 1 });
    const base = Date.UTC(2026, 0, 1);
    await coll.insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: `t${String(i).padStart(2, '0')}`, ...(i % 5 ? { at: new Date(base + i * 1000) } : {}) })));
    const older = (i: number) => ({ at: { $lt: new Date(base + i * 1000) } });
    const bulk = (round: number) =>
      coll.bulkWrite(
        [
          // first: the table's first query comes from inside the batch
          { updateOne: { filter: { _id: 't11', ...older(20) }, update: { $inc: { seen: 10 * round } } } },
          { updateOne: { filter: { _id: 't12', other: { $lt: new Date(base) } }, update: { $inc: { seen: 1 } } } },
          { updateMany: { filter: older(10), update: { $inc: { seen: 1 } } } },
          { updateMany: { filter: { at: { $gte: new Date(base + 30_000) } }, update: { $inc: { seen: 100 } } } },
        ],
        { ordered: true },
      );
    const first = await bulk(1);
    expect(first.modifiedCount).toBe(8 + 1 + 8);
    const sorted = async () => (await coll.find({}, { projection: { _id: 1 } }).sort({ at: -1, _id: -1 }).toArray()).map((d) => d._id);
    const before = await sorted();
    expect(before.slice(0, 3)).toEqual(['t39', 't38', 't37']);
    expect(before.slice(-2)).toEqual(['t05', 't00']);
    const second = await bulk(2);
    expect(second.modifiedCount).toBe(first.modifiedCount);
    expect((await coll.findOne({ _id: 't11' }))?.seen).toBe(30);
    // a number where dates were: MongoDB sorts numbers before dates (after them descending), whatever their value
    await coll.bulkWrite([{ updateOne: { filter: { _id: 't39' }, update: { $set: { at: 99 as unknown as Date } } } }, { updateOne: { filter: { _id: 't38' }, update: { $inc: { seen: 1 } } } }]);
    const after = await sorted();
    expect(after.slice(0, 2)).toEqual(['t38', 't37']);
    // descending: the dates, then the number, then the devices without the field
    expect(after.slice(-10)).toEqual(['t01', 't39', 't35', 't30', 't25', 't20', 't15', 't10', 't05', 't00']);
  });
});
