import { DeviceRepository } from '../../../src/devices/repository';
import { FileStore, UrlSigner } from '../../../src/files';
import {
  DownloadFlowError,
  MacDirectory,
  queueCaDownload,
  queueConfigDownload,
  queueFirmwareDownload,
  StoredDesiredConfig,
  type DownloadFlowDeps,
} from '../../../src/provisioning';
import { ciscoConfigHooks, Fleet, type FleetDevice } from '../../../src/sim';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { registerDevice } from '../../support/devices';

/** The three Download flows, end to end: ACS queues, simulated phone fetches from the fs role and reports. */
let acs: TestAcs;
let deps: DownloadFlowDeps;
let tasks: TaskRepository;
let files: FileStore;
let desired: StoredDesiredConfig;
const fleets: Fleet[] = [];

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp', 'fs'] });
  const db = acs.stores.db;
  files = new FileStore(db, acs.ctx.config.fs.maxFileBytes);
  desired = new StoredDesiredConfig(db);
  tasks = new TaskRepository(db);
  deps = {
    tasks,
    devices: new DeviceRepository(db),
    files,
    signer: new UrlSigner(acs.ctx.secret, acs.fsUrl),
    desired,
    urlWindowSeconds: acs.ctx.config.fs.urlWindowSeconds,
    caFileType: acs.ctx.config.fs.caFileType,
  };
});
afterAll(async () => {
  await Promise.allSettled(fleets.map((f) => f.stop(1000)));
  await acs?.close();
});

async function phone(serialPrefix: string): Promise<FleetDevice> {
  const fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix, retry: false, hooks: ciscoConfigHooks() });
  fleets.push(fleet);
  await fleet.start();
  const d = fleet.device(0);
  expect(await d.runSession()).toMatchObject({ ok: true });
  await new MacDirectory(acs.stores.db).assign(d.deviceId, String(d.model.factory.macAddress), 'api');
  return d;
}

/**
 * The session that receives the Downloads, then the one that reports their TransferCompletes.
 * A device with parameters of its own is under provisioning: the reconciler sends its file too.
 */
async function deliver(d: FleetDevice, downloads = 1): Promise<void> {
  const reported = d.nextSession((o) => o.transferCompletes > 0, 20_000);
  expect((await d.runSession()).acsRequests).toEqual(Array(downloads).fill('Download'));
  expect(await reported).toMatchObject({ ok: true, transferCompletes: downloads });
}

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

const line = 'Device.Services.VoiceService.1.VoiceProfile.1';

it('a vendor configuration Download delivers the rendered profile: mapped values in the data model, the rest in the vendor store', async () => {
  const d = await phone('CFG');
  await desired.replace(d.deviceId, [
    { name: 'Display_Name_1_', value: 'Desk $MA' },
    { name: 'User_ID_1_', value: '4085263127' },
    { name: 'Proxy_1_', value: 'as1bsoft.sipurash.com:5061' },
    { name: 'Station_Name', value: 'Front desk' },
    { name: 'GPP_A', value: 'Provisioned $MA' },
    { name: 'Speed_Dial_2_Name', value: '', ua: 'rw', selfClosing: true },
  ]);
  const task = await queueConfigDownload(deps, d.deviceId);
  expect(task.rpc).toMatchObject({ method: 'Download', fileType: '3 Vendor Configuration File', url: expect.stringContaining(`${acs.fsUrl}/profiles/`) });
  await deliver(d, 2);
  expect(await tasks.get(task._id)).toMatchObject({ status: 'done', result: { method: 'TransferComplete' } });
  const mac = String(d.model.factory.macAddress);
  expect(d.model.get(`${line}.Line.1.CallingFeatures.CallerIDName`)).toBe(`Desk ${mac}`);
  expect(d.model.get(`${line}.Line.1.SIP.URI`)).toBe('4085263127');
  expect(d.model.get(`${line}.SIP.ProxyServer`)).toBe('as1bsoft.sipurash.com');
  expect(d.model.get(`${line}.SIP.ProxyServerPort`)).toBe(5061);
  // GPP registers are the phone's to expand: they travel verbatim.
  expect(Object.fromEntries(d.cpe.vendorStore)).toEqual({ Station_Name: 'Front desk', GPP_A: 'Provisioned $MA' });
  expect((await deps.devices.get(d.deviceId, { taskQueue: 1 }))?.taskQueue).toEqual([]);
});

it('a firmware Download succeeds when the phone comes back on the image\'s version, fails when it does not', async () => {
  const d = await phone('FW');
  const image = await files.upload(once(Buffer.alloc(50_000, 7)), { filename: 'sip88xx.12-0-7MPP-1.loads', kind: 'firmware', productClasses: ['CP-8851-3PCC'] });
  const task = await queueFirmwareDownload(deps, d.deviceId, image.id);
  expect(task.rpc).toMatchObject({ fileType: '1 Firmware Upgrade Image', fileSize: 50_000, targetFileName: 'sip88xx.12-0-7MPP-1.loads' });
  expect(task.expect).toEqual({ softwareVersion: 'sip88xx.12-0-7MPP-1' });
  await deliver(d);
  expect(await tasks.get(task._id)).toMatchObject({ status: 'done' });
  expect((await deps.devices.get(d.deviceId, { softwareVersion: 1 }))?.softwareVersion).toBe('sip88xx.12-0-7MPP-1');
  await expect(queueFirmwareDownload(deps, d.deviceId, image.id)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/already reports/) });

  // An image whose stated version is not what it installs: the task fails on the version check.
  const liar = await files.upload(once(Buffer.alloc(1000, 1)), { filename: 'sip88xx.12-0-8MPP-1.loads', kind: 'firmware', version: 'sip88xx.12-0-9MPP-1' });
  const failing = await queueFirmwareDownload(deps, d.deviceId, liar.id);
  await deliver(d);
  expect(await tasks.get(failing._id)).toMatchObject({ status: 'fault', fault: { code: 'version_mismatch' } });
});

it('a CA file Download uses the configured FileType and closes on TransferComplete', async () => {
  const d = await phone('CA');
  const ca = await files.upload(once(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')), { filename: 'provisioning-ca.pem', kind: 'ca' });
  const task = await queueCaDownload(deps, d.deviceId, ca.id);
  expect(task.rpc).toMatchObject({ fileType: 'X 00562B Custom CA File', fileSize: ca.size });
  await deliver(d);
  expect(await tasks.get(task._id)).toMatchObject({ status: 'done' });
});

it('signs each URL until the task expires plus the download window', async () => {
  const device = await registerDevice(acs.stores.db, { serialNumber: 'FCHWINDOW1' });
  await desired.replace(device.id, [{ name: 'Station_Name', value: 'x' }]);
  const expiresAt = new Date(Date.now() + 600_000);
  const task = await queueConfigDownload(deps, device.id, { expiresAt });
  const url = new URL((task.rpc as { url: string }).url);
  expect(Number(url.searchParams.get('expires'))).toBe(Math.ceil((expiresAt.getTime() + acs.ctx.config.fs.urlWindowSeconds * 1000) / 1000));
  expect(task.expiresAt).toEqual(expiresAt);
});

it('refuses flows that cannot work, naming why, and queues nothing', async () => {
  const device = await registerDevice(acs.stores.db, { serialNumber: 'FCHREFUSE1', productClass: 'CP-7841-3PCC' });
  const fw = await files.upload(once(Buffer.alloc(10, 1)), { filename: 'sip88xx.12-1-0MPP-1.loads', kind: 'firmware', productClasses: ['CP-8851-3PCC'] });
  const ca = await files.upload(once(Buffer.alloc(10, 1)), { filename: 'other.pem', kind: 'ca' });
  const cases: Array<[() => Promise<unknown>, number, RegExp]> = [
    [() => queueFirmwareDownload(deps, 'nope-NOPE-1', fw.id), 404, /unknown device/],
    [() => queueFirmwareDownload(deps, device.id, '0123456789abcdef01234567'), 404, /unknown file/],
    [() => queueFirmwareDownload(deps, device.id, ca.id), 422, /is a ca file, not a firmware file/],
    [() => queueFirmwareDownload(deps, device.id, fw.id), 422, /is for CP-8851-3PCC, not for CP-7841-3PCC/],
    [() => queueCaDownload(deps, device.id, fw.id), 422, /not a CA file/],
    [() => queueConfigDownload(deps, device.id), 409, /no desired Cisco parameters/],
    [async () => {
      await desired.replace(device.id, [{ name: 'Station_Name', value: 'x' }]);
      return queueConfigDownload(deps, device.id, { expiresAt: new Date(Date.now() - 1) });
    }, 422, /would expire before/],
  ];
  for (const [attempt, status, message] of cases) {
    const err = await attempt().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadFlowError);
    expect(err).toMatchObject({ status, message: expect.stringMatching(message) });
  }
  expect((await deps.devices.get(device.id, { taskQueue: 1 }))?.taskQueue).toEqual([]);
});
