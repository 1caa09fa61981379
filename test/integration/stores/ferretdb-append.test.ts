/**
 * The local FerretDB appends strings to arrays in place (tools/local-stores/ferretdb/_overlay,
 * acs_append.go): an $addToSet or $push of strings by _id, alone or as consecutive statements
 * of an unordered update, is one SQLite UPDATE that never decodes the documents. What it does
 * must be what MongoDB does; where it cannot be sure (no such field, not an array, a value
 * already there, odd strings) the update runs as before. The counter acs_appends_in_place says
 * which path each append took, so each case pins both the result and the path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Binary, ObjectId, type Collection, type MongoBulkWriteError } from 'mongodb';
import { ownFerretdb, startOwnFerretdb, type OwnFerretdb } from '../../support/ferretdb';

const describeFerretdb = ownFerretdb ? describe : describe.skip;

/** `q` is an array, except where a case stores something else there (cast) */
type Doc = { _id: string; q?: Array<string | number>; at?: string[] };
const notAnArray = 'not an array' as unknown as string[];

describeFerretdb('local FerretDB appends in place', () => {
  let dir: string;
  let store: OwnFerretdb;
  let coll: Collection<Doc>;
  let n = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'acs-ferretdb-append-'));
    store = await startOwnFerretdb(dir, 'append');
  });
  afterAll(async () => {
    await store?.client.close();
    await store?.service.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    coll = store.client.db().collection<Doc>(`c${n++}`);
  });

  /** how many documents the in-place path appended to while f ran */
  async function inPlace(f: () => Promise<unknown>): Promise<number> {
    const before = await store.counter('acs_appends_in_place');
    await f();
    return (await store.counter('acs_appends_in_place')) - before;
  }

  const byId = async () => Object.fromEntries((await coll.find({}).sort({ _id: 1 }).toArray()).map(({ _id, ...rest }) => [_id, rest]));

  it('an unordered bulk of $addToSet: in place where it changes an array, as before elsewhere, each statement reported', async () => {
    await coll.insertMany([
      { _id: 'empty', q: [] },
      { _id: 'some', q: ['x', '7'] },
      { _id: 'has', q: ['t'] },
      { _id: 'none' },
      { _id: 'text', q: notAnArray },
      { _id: 'number', q: [7] },
    ]);
    const ops = ['empty', 'some', 'has', 'none', 'text', 'gone', 'number'].map((id) => ({ updateOne: { filter: { _id: id }, update: { $addToSet: { q: { $each: [id === 'number' ? '7' : 't'] } } } } }));
    let error: MongoBulkWriteError | undefined;
    expect(await inPlace(() => coll.bulkWrite(ops, { ordered: false }).catch((err: MongoBulkWriteError) => (error = err)))).toBe(3);
    expect(error?.writeErrors).toEqual([expect.objectContaining({ index: 4, code: 2 })]);
    expect([error?.result.matchedCount, error?.result.modifiedCount]).toEqual([5, 4]);
    expect(await byId()).toEqual({
      empty: { q: ['t'] },
      some: { q: ['x', '7', 't'] },
      has: { q: ['t'] },
      none: { q: ['t'] },
      text: { q: notAnArray },
      number: { q: [7, '7'] },
    });
  });

  it('adds a string equal to a stored one only with $push, and several values of $each in order', async () => {
    await coll.insertMany([{ _id: 'a', q: ['7'] }, { _id: 'b', q: ['7'] }, { _id: 'c', q: [] }]);
    expect(await inPlace(() => coll.updateOne({ _id: 'a' }, { $addToSet: { q: '7' } }))).toBe(0);
    expect(await inPlace(() => coll.updateOne({ _id: 'b' }, { $push: { q: '7' } }))).toBe(1);
    const r = await coll.updateOne({ _id: 'c' }, { $addToSet: { q: { $each: ['x', 'y', 'z'] } } });
    expect([r.matchedCount, r.modifiedCount]).toEqual([1, 1]);
    // $each with a value twice adds it once: not done in place
    expect(await inPlace(() => coll.updateOne({ _id: 'a' }, { $addToSet: { q: { $each: ['d', 'd'] } } }))).toBe(0);
    expect(await byId()).toEqual({ a: { q: ['7', 'd'] }, b: { q: ['7', '7'] }, c: { q: ['x', 'y', 'z'] } });
  });

  it('leaves every other value of the document as it was', async () => {
    const doc = {
      _id: 'typed',
      q: ['first'],
      double: 1.5,
      int: 7,
      long: 2 ** 40,
      text: '<&> \u2028 é "quoted" \\ back',
      at: new Date('2025-01-02T03:04:05.678Z'),
      nested: { list: [1, 'two', { three: null }], yes: true },
      oid: new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
      bin: new Binary(Buffer.from([0, 1, 2, 255])),
      nothing: null,
    };
    const typed = store.client.db().collection<typeof doc>(coll.collectionName);
    await typed.insertOne(doc);
    expect(await inPlace(() => typed.updateOne({ _id: 'typed' }, { $addToSet: { q: 'second <&>' } }))).toBe(1);
    expect(await typed.findOne({ _id: 'typed' })).toEqual({ ...doc, q: ['first', 'second <&>'] });
    // the document is still FerretDB's to change as a whole
    await typed.updateOne({ _id: 'typed' }, { $pullAll: { q: ['first'] }, $inc: { int: 1 } });
    expect(await typed.findOne({ _id: 'typed' }, { projection: { q: 1, int: 1 } })).toEqual({ _id: 'typed', q: ['second <&>'], int: 8 });
  });

  it('runs as before for strings with control characters, upserts and ordered commands', async () => {
    await coll.insertMany([{ _id: 'a', q: [] }, { _id: 'b', q: notAnArray }, { _id: 'c', q: [] }]);
    expect(await inPlace(() => coll.updateOne({ _id: 'a' }, { $addToSet: { q: 'line\nbreak' } }))).toBe(0);
    expect(await inPlace(() => coll.updateOne({ _id: 'new' }, { $addToSet: { q: 'u' } }, { upsert: true }))).toBe(0);
    // ordered: the statement after a failing one does not run, the one before it does
    const ops = ['a', 'b', 'c'].map((id) => ({ updateOne: { filter: { _id: id }, update: { $addToSet: { q: 'o' } } } }));
    let error: MongoBulkWriteError | undefined;
    expect(await inPlace(() => coll.bulkWrite(ops, { ordered: true }).catch((err: MongoBulkWriteError) => (error = err)))).toBe(1);
    expect([error?.writeErrors].flat().map((e) => e?.index)).toEqual([1]);
    expect(await byId()).toEqual({ a: { q: ['line\nbreak', 'o'] }, b: { q: notAnArray }, c: { q: [] }, new: { q: ['u'] } });
  });

  it('leaves a field whose sort order is being proven to the checked path', async () => {
    await coll.createIndex({ at: 1, _id: 1 });
    await coll.insertMany([{ _id: 'a', at: [] }, { _id: 'b', at: new Date('2025-01-01T00:00:00Z') as unknown as string[] }]);
    await coll.find({}).sort({ at: 1, _id: 1 }).toArray();
    expect(await inPlace(() => coll.updateOne({ _id: 'a' }, { $addToSet: { at: 'x' } }))).toBe(0);
    expect(await coll.findOne({ _id: 'a' })).toEqual({ _id: 'a', at: ['x'] });
  });

  it('runs as before while an oplog is kept, which records the whole document written', async () => {
    const local = store.client.db('local');
    await local.createCollection('oplog.rs', { capped: true, size: 1 << 20 });
    try {
      await coll.insertOne({ _id: 'a', q: ['x'] });
      expect(await inPlace(() => coll.updateOne({ _id: 'a' }, { $addToSet: { q: 'y' } }))).toBe(0);
      expect(await coll.findOne({ _id: 'a' })).toEqual({ _id: 'a', q: ['x', 'y'] });
      const entry = await local.collection('oplog.rs').findOne({ op: 'u', ns: `append.${coll.collectionName}` });
      expect(entry?.o).toMatchObject({ $set: { _id: 'a', q: ['x', 'y'] } });
    } finally {
      await local.dropCollection('oplog.rs');
    }
  });

  it('appends in place across many documents of one unordered command, in groups', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `d${String(i).padStart(3, '0')}`);
    await coll.insertMany(ids.map((_id) => ({ _id, q: [] })));
    const ops = ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $addToSet: { q: { $each: [`t-${id}`] } } } } }));
    let result: { matchedCount: number; modifiedCount: number } | undefined;
    expect(await inPlace(async () => (result = await coll.bulkWrite(ops, { ordered: false })))).toBe(450);
    expect([result?.matchedCount, result?.modifiedCount]).toEqual([450, 450]);
    const docs = await coll.find({}).sort({ _id: 1 }).toArray();
    expect(docs.map((d) => d.q)).toEqual(ids.map((id) => [`t-${id}`]));
  });
});
