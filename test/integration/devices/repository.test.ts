import type { CommandStartedEvent } from 'mongodb';
import { DeviceRepository } from '../../../src/devices/repository';
import { connectMongo } from '../../../src/stores/mongo';
import type { DeviceDoc } from '../../../src/devices/types';
import { openTestStores, type TestStores } from '../../support/stores';

let stores: TestStores;
let devices: DeviceRepository;
beforeAll(async () => {
  stores = await openTestStores();
  devices = new DeviceRepository(stores.db);
  for (const [id, productClass] of [['A-1', 'ip'], ['A-2', 'ip'], ['A-3', 'gw']] as const) {
    await devices.applyInform(id, { summary: { set: { 'deviceId.productClass': productClass, tags: [] }, unset: [] }, params: { set: { [`params.Device.X._v`]: id }, unset: [] } }, { registeredAt: new Date() });
  }
});
afterAll(async () => stores?.close());

const all = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

it('finds devices by a MongoDB filter, sorted, limited and projected, and counts them', async () => {
  const found = await all(devices.find({ 'deviceId.productClass': 'ip' } as never, { projection: { _id: 1 }, sort: { _id: -1 }, limit: 1 }));
  expect(found).toEqual([{ _id: 'A-2' }]);
  expect(await devices.count({ 'deviceId.productClass': 'ip' } as never)).toBe(2);
  expect((await devices.getMany(['A-3', 'nobody', 'A-1'], { _id: 1 })).map((d) => d._id).sort()).toEqual(['A-1', 'A-3']);
  expect((await all(devices.findParams({ 'params.Device.X._v': 'A-3' } as never))).map((d) => d._id)).toEqual(['A-3']);
  expect((await devices.paramsOf('A-1'))?.params).toEqual({ Device: { X: { _v: 'A-1' } } });
});

it('updates fields of one device, guarded by a condition when asked', async () => {
  expect(await devices.updateFields('A-1', { set: { 'provision.vars': 'r1' } })).toBe(true);
  expect(await devices.updateFields('A-1', { set: { 'provision.vars': 'r2' } }, { 'provision.vars': 'r0' } as never)).toBe(false);
  expect(await devices.get('A-1', { provision: 1 })).toMatchObject({ provision: { vars: 'r1' } });
  expect(await devices.updateFields('A-1', { unset: ['provision.vars'] }, { 'provision.vars': 'r1' } as never)).toBe(true);
  expect((await devices.get('A-1', { provision: 1 })) as DeviceDoc & { provision?: unknown }).toEqual({ _id: 'A-1', provision: {} });
  expect(await devices.updateFields('nobody', { set: { x: 1 } })).toBe(false);
  expect(await devices.updateMatching({ 'deviceId.productClass': 'ip' } as never, { set: { 'provision.mark': true } })).toBe(2);
  expect(await devices.count({ 'provision.mark': true } as never)).toBe(2);
});

it('sets the MAC and tells the one the device had', async () => {
  expect(await devices.setMac('A-3', '000e08aabbcc')).toEqual({});
  expect(await devices.setMac('A-3', '000e08aabbcd')).toEqual({ before: '000e08aabbcc' });
  expect(await devices.setMac('nobody', '000e08aabbcd')).toBeNull();
});

it('sessions reading their devices together share one find, and each gets its own document', async () => {
  const { client, db } = await connectMongo(stores.mongodbUrl, { monitorCommands: true });
  const finds: CommandStartedEvent[] = [];
  client.on('commandStarted', (e) => e.commandName === 'find' && finds.push(e));
  try {
    const watched = new DeviceRepository(db);
    const views = await Promise.all(['A-1', 'nobody', 'A-3', 'A-1'].map((id) => watched.sessionView(id, ['deviceId'])));
    expect(views.map((v) => v?._id ?? null)).toEqual(['A-1', null, 'A-3', 'A-1']);
    expect(views[2]).toMatchObject({ _id: 'A-3', deviceId: { productClass: 'gw' } });
    expect(views[3]).toEqual(views[0]);
    expect(views[3]).not.toBe(views[0]);
    expect(finds).toHaveLength(1);
    expect(finds[0]!.command.filter).toEqual({ _id: { $in: ['A-1', 'nobody', 'A-3'] } });

    // alone, a session reads by its exact _id
    expect((await watched.sessionView('A-2'))?._id).toBe('A-2');
    expect(finds[1]!.command.filter).toEqual({ _id: 'A-2' });
  } finally {
    await client.close();
  }
});
