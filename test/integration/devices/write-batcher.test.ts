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
