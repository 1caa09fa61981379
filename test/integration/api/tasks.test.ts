import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Fleet, type FleetDevice } from '../../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, eventually, type ApiClient } from '../../support/api';
import { registerDevice } from '../../support/devices';

/**
 * Tasks through the API on the real stack: API, BullMQ worker, CWMP endpoint and simulated
 * phones woken through their connection-request listener.
 */
const CR = { username: 'cr-user', password: 'cr-pass' };
const UPTIME = 'Device.DeviceInfo.UpTime';
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';
const MODEL = 'Device.DeviceInfo.ModelName';

let acs: TestAcs;
let api: ApiClient;
let fleet: Fleet;
const devicePath = (d: FleetDevice | string) => `/devices/${enc(typeof d === 'string' ? d : d.deviceId)}`;
const task = (id: string) => api.get(`/tasks/${id}`);
/** Until the task is final and its connection request, if any, has an outcome. */
const settled = (id: string) => eventually(() => task(id), (r) => !['pending', 'sent'].includes(r.body.status) && r.body.connectionRequest?.status !== 'queued');
/** Until the connection request has an outcome (the task may stay pending). */
const woke = (id: string) => eventually(() => task(id), (r) => r.body.connectionRequest?.status !== 'queued');

beforeAll(async () => {
  acs = await startTestAcs(
    { ACS_CR_USERNAME: CR.username, ACS_CR_PASSWORD: CR.password, ACS_RECONCILE_INTERVAL: '1', ACS_CR_TIMEOUT_MS: '500', ACS_CR_ATTEMPTS: '2' },
    { roles: ['cwmp', 'api', 'worker'] },
  );
  api = apiClient(acs, await acs.token('operator'));
  fleet = new Fleet({
    acsUrl: `${acs.cwmpUrl}/cwmp`,
    count: 4,
    auth: 'digest',
    username: CPE_USERNAME,
    password: CPE_PASSWORD,
    serialPrefix: 'TASK',
    retry: false,
    connectionRequestUsername: CR.username,
    connectionRequestPassword: CR.password,
    crMaxPerSecond: 50,
  });
  await fleet.start();
  for (const d of fleet.devices) expect((await d.runSession()).ok).toBe(true);
});
afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

it('wakes a phone through its connection-request listener; the phone answers and the API shows the values', async () => {
  const d = fleet.device(0);
  const woken = d.nextSession((o) => o.events.includes('6 CONNECTION REQUEST'), 20_000);
  const created = await api.post(`${devicePath(d)}/tasks`, { rpc: { method: 'GetParameterValues', parameterNames: [INTERVAL, MODEL] }, connectionRequest: true });
  expect(created.status).toBe(201);
  expect(created.headers.location).toBe(`/api/v1/tasks/${created.body.id}`);
  expect(created.body).toMatchObject({ deviceId: d.deviceId, status: 'pending', released: true, connectionRequest: { status: 'queued' } });
  const session = await woken;
  expect(session.acsRequests).toEqual(['GetParameterValues']);
  const done = await settled(created.body.id);
  expect(done.body).toMatchObject({ status: 'done', attempts: 1, connectionRequest: { status: 'woke', attempts: 1 } });
  expect(done.body.result.parameterList).toEqual(
    expect.arrayContaining([
      { name: INTERVAL, value: d.model.get(INTERVAL), type: 'xsd:unsignedInt' },
      { name: MODEL, value: d.model.get(MODEL), type: 'xsd:string' },
    ]),
  );
  const device = await api.get(`${devicePath(d)}?fields=${INTERVAL},Device.DeviceInfo.`);
  expect(device.body.parameters[INTERVAL]).toMatchObject({ value: d.model.get(INTERVAL), type: 'xsd:unsignedInt' });
  expect(device.body.parameters[MODEL]).toMatchObject({ value: d.model.get(MODEL) });
  expect(device.body.queuedTasks).toEqual([]);
});

it('records why a device could not be woken: refused credentials, no answer, a blocked address, no URL', async () => {
  const d = fleet.device(1);
  const admin = apiClient(acs, await acs.token('admin'));
  expect((await admin.put(`${devicePath(d)}/connection-request-auth`, { username: CR.username, password: 'wrong' })).status).toBe(204);
  const refused = await api.post(`${devicePath(d)}/tasks`, { rpc: { method: 'GetRPCMethods' }, connectionRequest: true });
  expect((await woke(refused.body.id)).body).toMatchObject({ status: 'pending', connectionRequest: { status: 'auth_refused', message: expect.stringContaining('cr-user') } });
  expect((await admin.get(devicePath(d))).body.connectionRequestAuth).toEqual({ username: CR.username });
  expect(JSON.stringify((await admin.get(devicePath(d))).body)).not.toContain('wrong');

  // the device's own credential, set through the API, takes precedence over the default
  const own = { username: 'own-user', password: 'own-pass' };
  d.model.set('Device.ManagementServer.ConnectionRequestUsername', own.username);
  d.model.set('Device.ManagementServer.ConnectionRequestPassword', own.password);
  expect((await admin.put(`${devicePath(d)}/connection-request-auth`, own)).status).toBe(204);
  const woken = d.nextSession((o) => o.events.includes('6 CONNECTION REQUEST'), 20_000);
  const retried = await api.post(`${devicePath(d)}/tasks`, { rpc: { method: 'GetRPCMethods' }, connectionRequest: true });
  await woken;
  expect((await settled(retried.body.id)).body).toMatchObject({ status: 'done', connectionRequest: { status: 'woke' } });

  // a listener that accepts connections and never answers
  const silent = http.createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const dark = await registerDevice(acs.stores.db, { serialNumber: 'DARK1' });
    await acs.stores.db.collection('devices').updateOne({ _id: dark.id as never }, { $set: { connectionRequestUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/cr` } });
    const unreachable = await api.post(`${devicePath(dark.id)}/tasks`, { rpc: { method: 'Reboot' }, connectionRequest: true });
    expect((await woke(unreachable.body.id)).body).toMatchObject({ status: 'pending', connectionRequest: { status: 'unreachable', attempts: 2, message: 'no answer within the timeout' } });
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
  // a hostile device pointing the worker at the cloud metadata service: refused once, not retried
  const nosy = await registerDevice(acs.stores.db, { serialNumber: 'NOSY1' });
  await acs.stores.db.collection('devices').updateOne({ _id: nosy.id as never }, { $set: { connectionRequestUrl: 'http://169.254.169.254/latest/meta-data/' } });
  const blocked = await api.post(`${devicePath(nosy.id)}/tasks`, { rpc: { method: 'Reboot' }, connectionRequest: true });
  expect((await woke(blocked.body.id)).body).toMatchObject({ status: 'pending', connectionRequest: { status: 'unreachable', attempts: 1, message: expect.stringContaining('ACS_CR_BLOCKED_NETWORKS') } });
  const nourl = await registerDevice(acs.stores.db, { serialNumber: 'NOURL1' });
  const noUrl = await api.post(`${devicePath(nourl.id)}/tasks`, { rpc: { method: 'Reboot' }, connectionRequest: true });
  expect((await woke(noUrl.body.id)).body).toMatchObject({ connectionRequest: { status: 'no_url' } });
});

describe('bad input gets a problem naming the field, and nothing is queued', () => {
  const cases: Array<[string, unknown, number, string]> = [
    ['an unknown field', { rpc: { method: 'Reboot' }, bogus: 1 }, 400, 'bogus'],
    ['an unknown field in the RPC', { rpc: { method: 'Reboot', delay: 5 } }, 400, 'rpc.delay'],
    ['a wrong type', { rpc: { method: 'GetParameterValues', parameterNames: 'Device.' } }, 400, 'rpc.parameterNames'],
    ['a SetParameterValues without values', { rpc: { method: 'SetParameterValues' } }, 400, 'rpc.parameterList'],
    ['a SetParameterValues with an empty list', { rpc: { method: 'SetParameterValues', parameterList: [] } }, 400, 'rpc.parameterList'],
    ['a value its type cannot carry', { rpc: { method: 'SetParameterValues', parameterList: [{ name: INTERVAL, value: 'often', type: 'xsd:unsignedInt' }] } }, 400, 'rpc.parameterList.0.value'],
    ['a Download without URL', { rpc: { method: 'Download', fileType: '1 Firmware Upgrade Image' } }, 400, 'rpc.url'],
    ['a Download with a bad file type', { rpc: { method: 'Download', fileType: 'firmware', url: 'http://x/f.bin' } }, 400, 'rpc.fileType'],
    ['an unknown RPC', { rpc: { method: 'SelfDestruct' } }, 400, 'rpc.method'],
    ['an invalid parameter name', { rpc: { method: 'GetParameterValues', parameterNames: ['Device..X'] } }, 400, 'rpc.parameterNames.0'],
    ['a zero expiry', { rpc: { method: 'Reboot' }, expiresIn: 0 }, 400, 'expiresIn'],
    ['no RPC', {}, 400, 'rpc'],
  ];
  it.each(cases)('%s', async (_why, body, status, field) => {
    const d = fleet.device(2);
    const before = await acs.stores.db.collection('tasks').countDocuments({ deviceId: d.deviceId });
    const r = await api.post(`${devicePath(d)}/tasks`, body);
    expect(r.status).toBe(status);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(r.body.detail).toContain(field);
    expect(await acs.stores.db.collection('tasks').countDocuments({ deviceId: d.deviceId })).toBe(before);
    expect((await api.get(devicePath(d))).body.queuedTasks).toEqual([]);
  });

  it('an unknown device, malformed JSON, another media type, unknown query parameters', async () => {
    const before = await acs.stores.db.collection('tasks').countDocuments();
    const unknown = await api.post('/devices/000000-NOPE-NOPE/tasks', { rpc: { method: 'Reboot' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('000000-NOPE-NOPE');
    const d = devicePath(fleet.device(2));
    expect((await api.call('POST', `${d}/tasks`, { raw: '{"rpc":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await api.call('POST', `${d}/tasks`, { raw: 'rpc=Reboot', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    const extra = await api.post(`${d}/tasks?force=1`, { rpc: { method: 'Reboot' } });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0]).toMatchObject({ in: 'query', field: 'force' });
    expect((await api.post('/devices/not_an_id/tasks', { rpc: { method: 'Reboot' } })).body.errors[0]).toMatchObject({ in: 'path', field: 'id' });
    expect(await acs.stores.db.collection('tasks').countDocuments()).toBe(before);
  });
});

it('cancels a pending task and takes it off the device queue; a task no longer pending cannot be cancelled', async () => {
  const d = fleet.device(2);
  const created = await api.post(`${devicePath(d)}/tasks`, { rpc: { method: 'GetParameterValues', parameterNames: [UPTIME] } });
  expect((await api.get(devicePath(d))).body.queuedTasks).toEqual([created.body.id]);
  const cancelled = await api.post(`/tasks/${created.body.id}/cancel`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ status: 'cancelled' });
  expect((await api.get(devicePath(d))).body.queuedTasks).toEqual([]);
  expect((await api.post(`/tasks/${created.body.id}/cancel`)).status).toBe(409);
  expect((await d.runSession()).acsRequests).toEqual([]);
  expect((await api.post('/tasks/0123456789abcdef01234567/cancel')).status).toBe(404);
});

it('expires a task its device did not fetch in time, and says so', async () => {
  const d = fleet.device(3);
  const created = await api.post(`${devicePath(d)}/tasks`, { rpc: { method: 'Reboot' }, expiresIn: 1 });
  const expired = await eventually(() => task(created.body.id), (r) => r.body.status === 'expired', 15_000);
  expect(expired.body).toMatchObject({ status: 'expired', attempts: 0 });
  expect((await api.get(devicePath(d))).body.queuedTasks).toEqual([]);
  expect((await d.runSession()).acsRequests).toEqual([]);
});

it('lists faults per device and fleet-wide; retry queues the task again; clear hides it', async () => {
  const d = fleet.device(3);
  const created = await api.post(`${devicePath(d)}/tasks`, { rpc: { method: 'GetParameterValues', parameterNames: ['Device.NoSuchThing'] } });
  expect((await d.runSession()).acsRequests).toEqual(['GetParameterValues']);
  const fault = await task(created.body.id);
  expect(fault.body).toMatchObject({ status: 'fault', fault: { code: 9005 } });
  const fleetWide = await api.get('/faults?code=9005');
  expect(fleetWide.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
  const own = await api.get(`${devicePath(d)}/faults`);
  expect(own.body.items.map((t: { id: string }) => t.id)).toEqual([created.body.id]);

  const woken = d.nextSession((o) => o.events.includes('6 CONNECTION REQUEST'), 20_000);
  const retried = await api.post(`/faults/${created.body.id}/retry`, { connectionRequest: true });
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ id: created.body.id, status: 'pending', retries: 1, released: true });
  expect((await woken).acsRequests).toEqual(['GetParameterValues']);
  const again = await settled(created.body.id);
  expect(again.body).toMatchObject({ status: 'fault', retries: 1, attempts: 2, connectionRequest: { status: 'woke' } });
  expect((await api.post(`/faults/${created.body.id}/retry`, undefined)).status).toBe(200);
  expect((await d.runSession()).acsRequests).toEqual(['GetParameterValues']);

  expect((await api.delete(`/faults/${created.body.id}`)).status).toBe(204);
  expect((await api.get(`${devicePath(d)}/faults`)).body.items).toEqual([]);
  expect((await task(created.body.id)).body).toMatchObject({ status: 'fault', faultCleared: true });
  expect((await api.delete(`/faults/${created.body.id}`)).status).toBe(404);
  expect((await api.post(`/faults/${created.body.id}/retry`, {})).status).toBe(200);
});

it('lists tasks by device, status and job, newest first, page by page', async () => {
  const d = fleet.device(2);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await api.post(`${devicePath(d)}/tasks`, { rpc: { method: 'GetRPCMethods' } })).body.id);
  const first = await api.get(`${devicePath(d)}/tasks?status=pending&limit=3`);
  expect(first.body.items.map((t: { id: string }) => t.id)).toEqual(ids.slice(2).reverse());
  const second = await api.get(`${devicePath(d)}/tasks?status=pending&limit=3&cursor=${first.body.nextCursor}`);
  expect(second.body.items.map((t: { id: string }) => t.id)).toEqual(ids.slice(0, 2).reverse());
  expect(second.body.nextCursor).toBeNull();
  const fleetWide = await api.get(`/tasks?deviceId=${enc(d.deviceId)}&status=pending&limit=10`);
  expect(fleetWide.body.items).toHaveLength(5);
  expect((await api.get('/tasks?limit=1001')).body.errors[0]).toMatchObject({ in: 'query', field: 'limit' });
  expect((await api.get('/tasks?cursor=bm90LWpzb24')).body.errors[0]).toMatchObject({ field: 'cursor' });
  const audit = await apiClient(acs, await acs.token('admin')).get(`/audit?target=${enc(d.deviceId)}&action=task.create&limit=5`);
  expect(audit.body.items).toHaveLength(5);
  expect(audit.body.items[0]).toMatchObject({ details: { taskId: ids[4], method: 'GetRPCMethods' }, actor: { role: 'operator' }, status: 201 });
});
