import type { DeviceDoc } from '../../../src/devices/types';
import type { TaskDoc } from '../../../src/tasks/types';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';
import { seedDevices } from '../../support/seed';

/**
 * Queuing tasks for many devices through the API, on the real stores: one bulk `POST /tasks`,
 * and single `POST /devices/{id}/tasks` sent together (which share their writes).
 */
const RPC = { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion'] };

let acs: TestAcs;
let api: ApiClient;
let ids: string[];

const devices = () => acs.ctx.db.collection<DeviceDoc>('devices');
const tasks = () => acs.ctx.db.collection<TaskDoc>('tasks');
const queueOf = async (id: string) => (await devices().findOne({ _id: id }, { projection: { taskQueue: 1 } }))!.taskQueue;

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['api'] });
  api = apiClient(acs, await acs.token('operator', 'bulk-operator'));
  ids = await seedDevices(
    acs.ctx.db,
    Array.from({ length: 320 }, (_, i) => ({ serialNumber: `BULK${String(i).padStart(4, '0')}` })),
  );
});
afterAll(async () => {
  await acs?.close();
});

it('queues exactly one task per listed device, reports unknown devices and audits the request once', async () => {
  const listed = ids.slice(0, 250);
  const unknown = ['00562B-CP%2D8851%2D3PCC-NOSUCH1', '00562B-CP%2D8851%2D3PCC-NOSUCH2'];
  const res = await api.post('/tasks', { deviceIds: [...listed.slice(0, 100), unknown[0], listed[0], ...listed.slice(100), unknown[1]], rpc: RPC, expiresIn: 3600 });
  expect(res.status).toBe(201);
  expect(res.body.unknownDevices).toEqual(unknown);
  expect(res.body.items.map((i: { deviceId: string }) => i.deviceId)).toEqual(listed);
  const byDevice = new Map<string, string>(res.body.items.map((i: { deviceId: string; taskId: string }) => [i.deviceId, i.taskId]));
  expect(new Set(byDevice.values()).size).toBe(250);

  const stored = await tasks().find({ deviceId: { $in: [...listed, ...unknown] } }).toArray();
  expect(stored).toHaveLength(250);
  for (const t of stored) {
    expect(t._id).toBe(byDevice.get(t.deviceId));
    expect(t).toMatchObject({ status: 'pending', createdBy: 'bulk-operator', rpc: RPC });
    expect(t.releasedAt).toBeInstanceOf(Date);
    // the expiry is taken when the request arrives, a moment before the task is made
    expect(t.expiresAt!.getTime() - t.createdAt.getTime()).toBeGreaterThan(3590_000);
    expect(t.expiresAt!.getTime() - t.createdAt.getTime()).toBeLessThanOrEqual(3600_000);
  }
  for (const id of listed) expect(await queueOf(id)).toEqual([byDevice.get(id)]);
  // devices not listed got nothing
  expect(await queueOf(ids[300])).toEqual([]);
  const one = await api.get(`/tasks/${byDevice.get(listed[7])}`);
  expect(one.body).toMatchObject({ deviceId: listed[7], status: 'pending', released: true });

  const admin = apiClient(acs, await acs.token('admin'));
  const audit = await admin.get('/audit?action=task.create_many');
  expect(audit.body.items).toHaveLength(1);
  expect(audit.body.items[0]).toMatchObject({ actor: expect.objectContaining({ name: 'bulk-operator' }), details: { method: 'GetParameterValues', queued: 250, unknownDevices: 2 } });
});

it('keeps the order of the request across the store batches written side by side', async () => {
  // 2,600 ids, unknown ones among the known in every batch of 1,000
  const known = ids.slice(270, 300);
  const deviceIds = Array.from({ length: 2600 }, (_, i) => (i % 87 === 0 && i / 87 < known.length ? known[i / 87] : `00562B-CP%2D8851%2D3PCC-ORDER${i}`));
  const res = await api.post('/tasks', { deviceIds, rpc: RPC });
  expect(res.status).toBe(201);
  expect(res.body.items.map((i: { deviceId: string }) => i.deviceId)).toEqual(known);
  expect(res.body.unknownDevices).toEqual(deviceIds.filter((id) => !known.includes(id)));
  for (const [n, id] of known.entries()) expect(await queueOf(id)).toEqual([res.body.items[n].taskId]);
  expect(await tasks().countDocuments({ deviceId: { $regex: 'ORDER' } })).toBe(0);
});

it('single POSTs sent together each get their own task, the unknown device a 404', async () => {
  const targets = ids.slice(250, 270);
  const replies = await Promise.all([
    ...targets.map((id) => api.post(`/devices/${enc(id)}/tasks`, { rpc: RPC })),
    api.post(`/devices/${enc(targets[0])}/tasks`, { rpc: { method: 'GetRPCMethods' } }),
    api.post(`/devices/${enc('00562B-CP%2D8851%2D3PCC-NOSUCH3')}/tasks`, { rpc: RPC }),
  ]);
  expect(replies.slice(0, 21).map((r) => r.status)).toEqual(Array(21).fill(201));
  expect(replies[21].status).toBe(404);
  expect(replies[21].body.detail).toContain('NOSUCH3');
  expect(new Set(replies.slice(0, 21).map((r) => r.body.id)).size).toBe(21);
  for (const [i, id] of targets.entries()) {
    const expected = i === 0 ? [replies[0].body.id, replies[20].body.id] : [replies[i].body.id];
    expect((await queueOf(id)).sort()).toEqual(expected.sort());
    expect(replies[i].body).toMatchObject({ deviceId: id, status: 'pending', released: true });
  }
  expect(await tasks().countDocuments({ deviceId: '00562B-CP%2D8851%2D3PCC-NOSUCH3' })).toBe(0);
});

it('refuses more devices than the limit with a 413 naming it, and queues nothing', async () => {
  const before = await tasks().countDocuments({});
  const deviceIds = Array.from({ length: 10_001 }, (_, i) => `00562B-CP%2D8851%2D3PCC-MANY${i}`);
  const res = await api.post('/tasks', { deviceIds, rpc: RPC });
  expect(res.status).toBe(413);
  expect(res.body.detail).toContain('at most 10000');
  expect(res.body.errors[0]).toMatchObject({ field: 'deviceIds' });
  expect(await tasks().countDocuments({})).toBe(before);
});

it('refuses a viewer (403), a bad RPC and an empty list (400), queuing nothing', async () => {
  const before = await tasks().countDocuments({});
  const viewer = apiClient(acs, await acs.token('viewer'));
  expect((await viewer.post('/tasks', { deviceIds: [ids[310]], rpc: RPC })).status).toBe(403);
  const bad = await api.post('/tasks', { deviceIds: [ids[310]], rpc: { method: 'NoSuchRpc' } });
  expect(bad.status).toBe(400);
  expect((await api.post('/tasks', { deviceIds: [], rpc: RPC })).status).toBe(400);
  expect(await tasks().countDocuments({})).toBe(before);
  expect(await queueOf(ids[310])).toEqual([]);
});
