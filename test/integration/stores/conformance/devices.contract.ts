import type { SessionDevices } from '../../../../src/cwmp/session/ports';
import { deviceKey } from '../../../../src/devices/id';
import { learnFromInform, learnFromResponse } from '../../../../src/devices/learn';
import type { Db } from 'mongodb';
import { DeviceRepository } from '../../../../src/devices/repository';
import type { DeviceDoc } from '../../../../src/devices/types';
import { EVENT } from '../../../../src/sim';
import { deviceDocument } from '../../../support/devices';
import { MemoryDevices } from '../../../support/memory/devices';
import { newDevice } from '../../../unit/sim/support';
import { contract, inMemory, onStores } from './contract';

/** The devices port and what the cases use to arrange and read. */
export interface DevicesFixture {
  devices: SessionDevices & Pick<DeviceRepository, 'getWithParams' | 'enqueueTask' | 'announceTasks' | 'setCredentials'>;
  /** stores a device document as it is */
  seed(doc: DeviceDoc): Promise<void>;
}

const LIMITS = { maxValueLength: 4096, maxEventCodes: 64 };
let serial = 0;

/** A simulated phone of its own (a fresh serial number per case) and its device id. */
export function phone() {
  const cpe = newDevice({ index: serial++ });
  const inform = cpe.buildInform();
  return { cpe, inform, id: deviceKey(inform.deviceId) };
}

/** A device document stored under `id` (any text), as a first Inform would leave it. */
export function deviceDoc(id: string, fields: Partial<DeviceDoc> = {}): DeviceDoc {
  const deviceId = { manufacturer: 'Cisco', oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: id };
  return deviceDocument(deviceId, { _id: id, ...fields }, new Date('2026-01-01T00:00:00Z'));
}

/** The fixture on MemoryDevices. */
export function memoryDevices(): DevicesFixture & { devices: MemoryDevices } {
  const devices = new MemoryDevices();
  return { devices, seed: (doc) => devices.insert(doc) };
}

/** The fixture on DeviceRepository, seeding straight into the collection. */
export function storedDevices(db: Db): DevicesFixture & { devices: DeviceRepository } {
  return { devices: new DeviceRepository(db), seed: async (doc) => void (await db.collection<DeviceDoc>('devices').insertOne(doc)) };
}

export function devicesContract(fixture: () => DevicesFixture): void {
  const at = new Date('2026-03-01T10:00:00.000Z');
  const later = new Date('2026-03-01T11:00:00.000Z');

  it('creates a device at its first Inform, and a later Inform keeps what only the first set', async () => {
    const { devices } = fixture();
    const { inform, id } = phone();
    const first = learnFromInform(inform, { now: at, cwmpVersion: '1.2', remoteAddress: '10.0.0.1', limits: LIMITS });
    await devices.applyInform(id, first, first.setOnInsert);
    expect(await devices.enqueueTask(id, 'task-1')).toBe(true);
    const again = learnFromInform({ ...inform, event: [{ eventCode: EVENT.PERIODIC, commandKey: '' }] }, { now: later, cwmpVersion: '1.2', limits: LIMITS });
    await devices.applyInform(id, again, again.setOnInsert);
    const doc = await devices.get(id);
    expect(doc).toMatchObject({ _id: id, registeredAt: at, lastInformAt: later, taskQueue: ['task-1'], remoteAddress: '10.0.0.1' });
    expect(doc!.eventTimes).toEqual({ [EVENT.BOOTSTRAP]: at, [EVENT.BOOT]: at, [EVENT.PERIODIC]: later });
    expect(doc!.lastBootAt).toEqual(at);
    expect(doc!.lastInformAt).toBeInstanceOf(Date);
  });

  it('reads the session view: the queue, credential and Inform memory, plus the fields asked for, nothing else', async () => {
    const { devices, seed } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id, { taskQueue: ['a', 'b'], informDigest: 'digest', mac: '00562b000001', softwareVersion: 'v1', traceSeq: 4 } as Partial<DeviceDoc>));
    expect(await devices.sessionView(id)).toEqual({ _id: id, taskQueue: ['a', 'b'], informDigest: 'digest', eventTimes: {}, mac: '00562b000001' });
    expect(await devices.sessionView(id, ['softwareVersion', 'traceSeq'])).toMatchObject({ softwareVersion: 'v1', traceSeq: 4 });
    expect(await devices.sessionView('nobody-here-1')).toBeNull();
    expect(await devices.get(id, { credentials: 1 })).toEqual({ _id: id });
    const without = await devices.get(id, { taskQueue: 0, eventTimes: 0 });
    expect(without).not.toHaveProperty('taskQueue');
    expect(without).toMatchObject({ _id: id, mac: '00562b000001' });
  });

  it('updates the parameter tree with changed Inform values, and a BOOTSTRAP starts it afresh', async () => {
    const { devices } = fixture();
    const { cpe, inform, id } = phone();
    const boot = learnFromInform(inform, { now: at, cwmpVersion: '1.2', limits: LIMITS });
    await devices.applyInform(id, boot, boot.setOnInsert);
    const read = { method: 'GetParameterValues' as const, parameterNames: ['Device.Services.'] };
    const answer = { method: 'GetParameterValuesResponse' as const, parameterList: [{ name: 'Device.Services.VoiceService.1.Enable', value: true, type: 'xsd:boolean' as const }] };
    await devices.learn(id, learnFromResponse(read, answer, at, LIMITS), at);
    cpe.informAcknowledged();
    cpe.setLocal('Device.DeviceInfo.ProvisioningCode', 'changed');
    const changed = learnFromInform(cpe.buildInform(), { now: later, cwmpVersion: '1.2', limits: LIMITS }, (await devices.sessionView(id))!);
    await devices.applyInform(id, changed, changed.setOnInsert);
    let stored = (await devices.getWithParams(id))!;
    expect((stored.params as any).Device.DeviceInfo.ProvisioningCode).toMatchObject({ _v: 'changed', _t: 'xsd:string', _ts: later });
    expect((stored.params as any).Device.Services.VoiceService['1'].Enable).toEqual({ _v: true, _t: 'xsd:boolean', _ts: at });
    expect(stored.provisioningCode).toBe('changed');
    const again = learnFromInform({ ...inform, event: [{ eventCode: EVENT.BOOTSTRAP, commandKey: '' }] }, { now: later, cwmpVersion: '1.2', limits: LIMITS }, (await devices.sessionView(id))!);
    await devices.applyInform(id, again, again.setOnInsert);
    stored = (await devices.getWithParams(id))!;
    expect((stored.params as any).Device.Services).toBeUndefined();
    expect((stored.params as any).Device.DeviceInfo.SoftwareVersion._ts).toEqual(later);
  });

  it('applies what a response taught and takes only the finished tasks off the queue, in order', async () => {
    const { devices, seed } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id, { taskQueue: ['t1', 't2', 't3', 't4'], rpcMethods: ['Old'] }));
    const learned = learnFromResponse({ method: 'GetRPCMethods' }, { method: 'GetRPCMethodsResponse', methodList: ['Inform', 'Reboot'] }, at, LIMITS);
    await devices.apply(id, learned, ['t3', 't1']);
    expect(await devices.get(id, { taskQueue: 1, rpcMethods: 1 })).toEqual({ _id: id, taskQueue: ['t2', 't4'], rpcMethods: ['Inform', 'Reboot'] });
    await devices.apply(id, { summary: { set: { 'lastRequestDownload.fileType': '1 Firmware' }, unset: ['rpcMethods'] }, params: { set: {}, unset: [] } });
    const doc = (await devices.get(id))!;
    expect(doc).not.toHaveProperty('rpcMethods');
    expect((doc as any).lastRequestDownload).toEqual({ fileType: '1 Firmware' });
    await devices.dequeueTasks(id, ['t4', 'never-queued']);
    expect((await devices.get(id))!.taskQueue).toEqual(['t2']);
  });

  it('does not create a device an update or a queue change names', async () => {
    const { devices } = fixture();
    const { id } = phone();
    await devices.apply(id, { summary: { set: { softwareVersion: 'x' }, unset: [] }, params: { set: {}, unset: [] } }, ['t']);
    await devices.dequeueTasks(id, ['t']);
    expect(await devices.enqueueTask(id, 't')).toBe(false);
    expect(await devices.announceTasks(id, ['t'])).toBe(false);
    expect(await devices.get(id)).toBeNull();
    expect(await devices.getWithParams(id)).toBeNull();
  });

  it('announces a task once however often, after the ones already queued', async () => {
    const { devices, seed } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id, { taskQueue: ['a'] }));
    expect(await devices.announceTasks(id, ['b', 'a', 'c'])).toBe(true);
    expect(await devices.announceTasks(id, ['c'])).toBe(true);
    expect(await devices.enqueueTask(id, 'd')).toBe(true);
    expect((await devices.get(id))!.taskQueue).toEqual(['a', 'b', 'c', 'd']);
  });

  it('replaces a listed subtree with the GetParameterNames listing, keeping known values', async () => {
    const { devices } = fixture();
    const { inform, id } = phone();
    const boot = learnFromInform(inform, { now: at, cwmpVersion: '1.2', limits: LIMITS });
    await devices.applyInform(id, boot, boot.setOnInsert);
    const rpc = { method: 'GetParameterNames' as const, parameterPath: 'Device.DeviceInfo.', nextLevel: true };
    const listing = learnFromResponse(
      rpc,
      { method: 'GetParameterNamesResponse', parameterList: [{ name: 'Device.DeviceInfo.', writable: false }, { name: 'Device.DeviceInfo.SoftwareVersion', writable: false }, { name: 'Device.DeviceInfo.New', writable: true }] },
      later,
      LIMITS,
    );
    await devices.learn(id, listing, later);
    const info = ((await devices.getWithParams(id))!.params as any).Device.DeviceInfo;
    expect(Object.keys(info).sort()).toEqual(['New', 'SoftwareVersion', '_o', '_ts', '_w']);
    expect(info.SoftwareVersion).toMatchObject({ _w: false, _ts: at });
    expect(info.SoftwareVersion._v).toBeDefined();
    expect(info.New).toEqual({ _w: true });
    expect(((await devices.getWithParams(id))!.params as any).Device.ManagementServer).toBeDefined();
  });

  it('sets and removes a device credential', async () => {
    const { devices, seed } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id));
    expect(await devices.setCredentials(id, { username: 'u', password: 'p' }, 'realm')).toBe(true);
    expect((await devices.get(id, { credentials: 1 }))!.credentials).toMatchObject({ username: 'u', realm: 'realm', ha1Md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await devices.setCredentials(id, null, 'realm')).toBe(true);
    expect(await devices.get(id, { credentials: 1 })).toEqual({ _id: id });
  });

  it('hands out copies: changing a returned document changes nothing stored', async () => {
    const { devices, seed } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id, { taskQueue: ['a'] }));
    const doc = (await devices.get(id))!;
    doc.taskQueue.push('b');
    expect((await devices.get(id))!.taskQueue).toEqual(['a']);
  });
}

/**
 * The contract of a port built beside the devices (tasks, MAC directory, search index): each
 * implementation's fixture is the devices' one plus the port, on the same store.
 */
export function contractBesideDevices<P extends object>(
  port: string,
  real: { name: string; make(db: Db): P },
  memory: (devices: MemoryDevices) => P,
  cases: (fixture: () => DevicesFixture & P) => void,
): void {
  contract<DevicesFixture & P>(
    port,
    [
      inMemory(() => {
        const fixture = memoryDevices();
        return { ...fixture, ...memory(fixture.devices) };
      }),
      onStores(real.name, ({ db }) => ({ ...storedDevices(db), ...real.make(db) })),
    ],
    cases,
  );
}
