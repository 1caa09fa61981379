import { WriteBatcher } from '../../../src/devices/write-batcher';
import { openTestStores, type TestStores } from '../../support/stores';

let stores: TestStores;
beforeAll(async () => {
  stores = await openTestStores();
});
afterAll(async () => stores?.close());

it('sends the writes of one event-loop turn as one bulk write, each caller told of its own', async () => {
  const coll = stores.db.collection<{ _id: string; n: unknown }>('batched');
  await coll.insertOne({ _id: 'text', n: 'not an object' });
  const batcher = new WriteBatcher(coll);
  const batches: number[] = [];
  const original = coll.bulkWrite.bind(coll);
  coll.bulkWrite = ((ops: Parameters<typeof original>[0], options: Parameters<typeof original>[1]) => {
    batches.push(ops.length);
    return original(ops, options);
  }) as typeof coll.bulkWrite;
  const bad = batcher.write({ updateOne: { filter: { _id: 'text' }, update: { $set: { 'n.x': 1 } } } });
  const good = Array.from({ length: 5 }, (_, i) => batcher.write({ updateOne: { filter: { _id: `d${i}` }, update: { $set: { n: i } }, upsert: true } }));
  const results = await Promise.allSettled([bad, ...good]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  expect(batches[0]).toBe(6);
  expect(await coll.find({ _id: { $in: ['d0', 'd4'] } }).sort({ _id: 1 }).toArray()).toEqual([
    { _id: 'd0', n: 0 },
    { _id: 'd4', n: 4 },
  ]);
  expect(await coll.findOne({ _id: 'text' })).toEqual({ _id: 'text', n: 'not an object' });
});

it('splits bursts larger than the batch size and keeps later turns apart', async () => {
  const coll = stores.db.collection<{ _id: string; n: number }>('burst');
  const batches: number[] = [];
  const original = coll.bulkWrite.bind(coll);
  coll.bulkWrite = ((ops: Parameters<typeof original>[0], options: Parameters<typeof original>[1]) => {
    batches.push(ops.length);
    return original(ops, options);
  }) as typeof coll.bulkWrite;
  const batcher = new WriteBatcher(coll, 4);
  await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.write({ insertOne: { document: { _id: `b${i}`, n: i } } })));
  await batcher.write({ insertOne: { document: { _id: 'late', n: 99 } } });
  expect(batches).toEqual([4, 4, 2, 1]);
  expect(await coll.countDocuments()).toBe(11);
});

it('gathers the writes issued while a batch is out into the next one', async () => {
  const coll = stores.db.collection<{ _id: string; n: number }>('gathered');
  const batches: number[] = [];
  let returnFirst!: () => void;
  const firstHeld = new Promise<void>((r) => (returnFirst = r));
  const original = coll.bulkWrite.bind(coll);
  coll.bulkWrite = (async (ops: Parameters<typeof original>[0], options: Parameters<typeof original>[1]) => {
    batches.push(ops.length);
    const result = await original(ops, options);
    if (batches.length === 1) await firstHeld; // the store is slow to answer the first batch
    return result;
  }) as typeof coll.bulkWrite;
  const batcher = new WriteBatcher(coll);
  const first = batcher.write({ insertOne: { document: { _id: 'first', n: 0 } } });
  const later: Array<Promise<boolean>> = [];
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    later.push(batcher.write({ insertOne: { document: { _id: `later${i}`, n: i } } }));
  }
  expect(batches).toEqual([1]);
  returnFirst();
  expect(await Promise.all([first, ...later])).toEqual([true, true, true, true]);
  expect(batches).toEqual([1, 3]);
});

it('tells each caller whether its statement matched a document, when compare-and-sets also match what they changed', async () => {
  const coll = stores.db.collection<{ _id: string; n: number }>('matched');
  await coll.insertMany([{ _id: 'a', n: 1 }, { _id: 'b', n: 1 }]);
  const batcher = new WriteBatcher(coll);
  const results = await Promise.all([
    // 1 -> 2; its filter also matches 2, so that its run alone, after the batch, still matches
    batcher.write({ updateOne: { filter: { _id: 'a', n: { $in: [1, 2] } }, update: { $set: { n: 2 } } } }),
    batcher.write({ updateOne: { filter: { _id: 'b', n: { $in: [5, 6] } }, update: { $set: { n: 6 } } } }),
    batcher.write({ updateOne: { filter: { _id: 'c' }, update: { $set: { n: 2 } }, upsert: true } }),
  ]);
  expect(results).toEqual([true, false, true]);
  expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 'a', n: 2 }, { _id: 'b', n: 1 }, { _id: 'c', n: 2 }]);
});

it('flush waits for the batch already out, and its callers have heard by then', async () => {
  const coll = stores.db.collection<{ _id: string; n: number }>('flushed');
  let returnFirst!: () => void;
  const firstHeld = new Promise<void>((r) => (returnFirst = r));
  let out!: () => void;
  const isOut = new Promise<void>((r) => (out = r));
  const original = coll.bulkWrite.bind(coll);
  coll.bulkWrite = (async (ops: Parameters<typeof original>[0], options: Parameters<typeof original>[1]) => {
    out();
    const result = await original(ops, options);
    await firstHeld; // the store is slow to answer
    return result;
  }) as typeof coll.bulkWrite;
  const batcher = new WriteBatcher(coll, 100, 50);
  const heard: string[] = [];
  void batcher.write({ insertOne: { document: { _id: 'out', n: 1 } } }).then(() => heard.push('out'));
  await isOut; // the timer started the batch; nothing is pending any more
  let flushed = false;
  const flush = batcher.flush().then(() => (flushed = true));
  await new Promise((r) => setImmediate(r));
  expect(flushed).toBe(false);
  returnFirst();
  await flush;
  expect(heard).toEqual(['out']);
  expect(await coll.countDocuments({ _id: 'out' })).toBe(1);
});
