import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeviceRepository } from '../../../src/devices/repository';
import { Fleet, type FleetDevice } from '../../../src/sim';
import type { CwmpVersion } from '../../../src/sim';
import { TaskRepository } from '../../../src/tasks/repository';
import type { TaskDoc } from '../../../src/tasks/types';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';

/** The ACS driven by the project's simulated Cisco phones over HTTP, Digest and all. */
let acs: TestAcs;
let tasks: TaskRepository;
const fleets: Fleet[] = [];

beforeAll(async () => {
  acs = await startTestAcs();
  tasks = new TaskRepository(acs.stores.db);
});
afterAll(async () => {
  await Promise.allSettled(fleets.map((f) => f.stop(1000)));
  await acs?.close();
});

async function fleet(options: Partial<ConstructorParameters<typeof Fleet>[0]> = {}): Promise<Fleet> {
  const f = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, count: 1, retry: false, ...options });
  fleets.push(f);
  await f.start();
  return f;
}

async function session(device: FleetDevice) {
  const outcome = await device.runSession();
  expect(outcome).toMatchObject({ ok: true });
  return outcome;
}

const device = (d: FleetDevice) => new DeviceRepository(acs.stores.db).getWithParams(d.deviceId);

async function queue(d: FleetDevice, rpc: TaskDoc['rpc']): Promise<TaskDoc> {
  return tasks.queue(d.deviceId, rpc);
}

it('a mixed fleet bootstraps and informs periodically on every CWMP version', async () => {
  const versions: CwmpVersion[] = ['1.0', '1.1', '1.2', '1.3', '1.4'];
  const f = await fleet({ count: 10, serialPrefix: 'MIX', perDevice: (i) => ({ cwmpVersion: versions[i % versions.length], productClass: i % 2 ? 'CP-7841-3PCC' : 'CP-8851-3PCC' }) });
  for (const d of f.devices) expect((await session(d)).events).toEqual(['0 BOOTSTRAP', '1 BOOT']);
  for (const d of f.devices) expect((await session(d)).events).toEqual(['2 PERIODIC']);
  const stored = await acs.stores.db.collection('devices').find({ _id: { $in: f.devices.map((d) => d.deviceId) as never[] } }).toArray();
  expect(stored).toHaveLength(10);
  expect(new Set(stored.map((s) => s.cwmpVersion))).toEqual(new Set(versions));
  for (const s of stored) {
    expect(s.lastEvents).toEqual([{ eventCode: '2 PERIODIC', commandKey: '' }]);
    expect(s.softwareVersion).toMatch(/^sip\d{2}xx\./);
    expect(s.connectionRequestUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  }
});

it.each([['noCookies'], ['emptyId'], ['booleanDigits'], ['connectionPerRequest']] as const)('a phone with the %s quirk runs its tasks', async (quirk) => {
  const [d] = (await fleet({ serialPrefix: `Q${quirk.slice(0, 6).toUpperCase()}`, quirks: { [quirk]: true } })).devices;
  await session(d);
  const gpv = await queue(d, { method: 'GetParameterValues', parameterNames: ['Device.ManagementServer.PeriodicInformEnable', 'Device.DeviceInfo.UpTime'] });
  expect((await session(d)).acsRequests).toEqual(['GetParameterValues']);
  expect(await tasks.get(gpv._id)).toMatchObject({ status: 'done' });
  expect((await device(d))?.params).toMatchObject({ Device: { ManagementServer: { PeriodicInformEnable: { _v: true, _t: 'xsd:boolean' } } } });
});

it('sets values the phone applies, learns its whole tree, and records its faults', async () => {
  const [d] = (await fleet({ serialPrefix: 'RPC' })).devices;
  await session(d);
  const spv = await queue(d, { method: 'SetParameterValues', parameterKey: 'rev-1', parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', value: 3600, type: 'xsd:unsignedInt' }] });
  const gpn = await queue(d, { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: false });
  const bad = await queue(d, { method: 'GetParameterValues', parameterNames: ['Device.NoSuchThing'] });
  const spvBad = await queue(d, { method: 'SetParameterValues', parameterKey: 'rev-2', parameterList: [{ name: 'Device.DeviceInfo.SoftwareVersion', value: 'x', type: 'xsd:string' }] });
  expect((await session(d)).acsRequests).toEqual(['SetParameterValues', 'GetParameterNames', 'GetParameterValues', 'SetParameterValues']);
  expect(d.model.get('Device.ManagementServer.PeriodicInformInterval')).toBe(3600);
  expect(await tasks.get(spv._id)).toMatchObject({ status: 'done', result: { status: 0 } });
  expect(await tasks.get(gpn._id)).toMatchObject({ status: 'done' });
  expect(await tasks.get(bad._id)).toMatchObject({ status: 'fault', fault: { code: 9005 } });
  expect(await tasks.get(spvBad._id)).toMatchObject({ status: 'fault', fault: { code: 9003, setParameterValuesFault: [{ parameterName: 'Device.DeviceInfo.SoftwareVersion', faultCode: 9008 }] } });
  const stored = await device(d);
  expect(stored?.parameterKey).toBe('rev-1');
  expect(stored?.params).toMatchObject({
    Device: {
      ManagementServer: { PeriodicInformInterval: { _v: 3600, _w: true } },
      Services: { VoiceService: { '1': { VoiceProfile: { '1': { Line: { '1': { SIP: { AuthUserName: { _w: true } } } } } } } } },
      DeviceInfo: { SoftwareVersion: { _w: false } },
    },
  });
  const next = await session(d);
  expect(next.acsRequests).toEqual([]);
  expect((await device(d))?.params).toMatchObject({ Device: { ManagementServer: { ParameterKey: { _v: 'rev-1' } } } });
});

it('a Reboot comes back as 1 BOOT + M Reboot; a FactoryReset as BOOTSTRAP, which resets what the ACS knew', async () => {
  const [d] = (await fleet({ serialPrefix: 'BOOT' })).devices;
  await session(d);
  const reboot = await queue(d, { method: 'Reboot', commandKey: '' });
  // A phone reboots right after the session that asked for it and informs again on its own.
  const booted = d.nextSession((o) => o.events.includes('1 BOOT'), 20_000);
  await session(d);
  expect((await booted).events).toEqual(['1 BOOT', 'M Reboot']);
  const afterReboot = await device(d);
  expect(afterReboot?.lastEvents).toContainEqual({ eventCode: 'M Reboot', commandKey: reboot._id });
  expect(await tasks.get(reboot._id)).toMatchObject({ status: 'done' });

  await queue(d, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });
  await session(d);
  expect((await device(d))?.params).toHaveProperty(['Device', 'DeviceInfo', 'UpTime', '_v']);
  await queue(d, { method: 'FactoryReset' });
  const bootstrapped = d.nextSession((o) => o.events.includes('0 BOOTSTRAP'), 20_000);
  await session(d);
  expect((await bootstrapped).events).toEqual(['0 BOOTSTRAP', '1 BOOT']);
  const reset = await device(d);
  expect(reset?.params).not.toHaveProperty(['Device', 'DeviceInfo', 'UpTime']);
  expect(reset!.lastBootstrapAt!.getTime()).toBeGreaterThan(afterReboot!.lastInformAt.getTime());
});

describe('downloads', () => {
  let files: http.Server;
  let base: string;
  beforeAll(async () => {
    files = http.createServer((req, res) => {
      if (req.url?.endsWith('.loads')) res.end(Buffer.alloc(4096, 1));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => files.close(() => r())));

  const download = (url: string): TaskDoc['rpc'] => ({ method: 'Download', commandKey: '', fileType: '1 Firmware Upgrade Image', url, username: '', password: '', fileSize: 0, targetFileName: '', delaySeconds: 0, successURL: '', failureURL: '' });

  it('a firmware Download is fetched after the session and closed by the next TransferComplete', async () => {
    const [d] = (await fleet({ serialPrefix: 'FW' })).devices;
    await session(d);
    const ok = await queue(d, download(`${base}/sip88xx.12-0-2MPP-1.loads`));
    expect((await session(d)).acsRequests).toEqual(['Download']);
    expect(await tasks.get(ok._id)).toMatchObject({ status: 'sent', awaiting: 'TransferComplete' });
    const reported = await d.nextSession((o) => o.transferCompletes > 0, 20_000);
    expect(reported).toMatchObject({ ok: true, transferCompletes: 1 });
    expect(reported.events).toEqual(expect.arrayContaining(['7 TRANSFER COMPLETE', 'M Download']));
    expect(await tasks.get(ok._id)).toMatchObject({ status: 'done', result: { method: 'TransferComplete' } });
    expect((await device(d))?.softwareVersion).toMatch(/12-0-2MPP-1$/);
  });

  it('a firmware task fails when the phone comes back on another version', async () => {
    const [d] = (await fleet({ serialPrefix: 'FWVER' })).devices;
    await session(d);
    const task = await tasks.queue(d.deviceId, download(`${base}/sip88xx.12-0-3MPP-1.loads`), { expect: { softwareVersion: 'sip88xx.12-0-9MPP-9' } });
    await session(d);
    await d.nextSession((o) => o.transferCompletes > 0, 20_000);
    expect(await tasks.get(task._id)).toMatchObject({ status: 'fault', fault: { code: 'version_mismatch' } });
  });

  it('a missing file fails the task with the device\'s fault code', async () => {
    const [d] = (await fleet({ serialPrefix: 'FW404' })).devices;
    await session(d);
    const missing = await queue(d, download(`${base}/nothing.bin`));
    await session(d);
    await d.nextSession((o) => o.transferCompletes > 0, 20_000);
    const task = await tasks.get(missing._id);
    expect(task).toMatchObject({ status: 'fault' });
    expect(task?.fault?.code).toBeGreaterThanOrEqual(9010);
    expect((await device(d))?.taskQueue).toEqual([]);
  });
});
