import { DeviceRepository } from '../../../src/devices/repository';
import {
  DataModelDiscovery,
  DesiredConfigError,
  MacDirectory,
  MappingOverrideError,
  MappingOverrideStore,
  StoredDesiredConfig,
} from '../../../src/provisioning';
import { Fleet } from '../../../src/sim';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { registerDevice } from '../../support/devices';

/** Desired state, MAC directory, mapping overrides and data-model discovery on the real stores. */
let acs: TestAcs;

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp'] });
});
afterAll(async () => {
  await acs?.close();
});

describe('desired parameters', () => {
  it('refuses an unknown parameter or a wrong value and leaves what was stored as it was', async () => {
    const store = new StoredDesiredConfig(acs.stores.db);
    const device = await registerDevice(acs.stores.db, { serialNumber: 'FCHDES001' });
    const first = await store.replace(device.id, [{ name: 'Station_Name', value: 'One' }], { gzip: true });
    const attempts = [
      () => store.replace(device.id, [{ name: 'Station_Name', value: 'Two' }, { name: 'No_Such_Thing', value: '1' }]),
      () => store.change(device.id, { set: [{ name: 'SIP_Port_1_', value: '70000' }] }),
      () => store.change(device.id, { set: [{ name: 'Report_Rule', value: '[--frobnicate]http://x/y' }] }),
      () => store.change(device.id, { delivery: { gzip: 'yes' as never } }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(DesiredConfigError);
    expect(await store.get(device.id)).toEqual({ entries: first.entries, delivery: first.delivery, revision: first.revision, updatedAt: first.updatedAt });
  });

  it('never shows a reader a missing or half-written state while writers race', async () => {
    const writer = new StoredDesiredConfig(acs.stores.db);
    const reader = new StoredDesiredConfig(acs.stores.db);
    const device = await registerDevice(acs.stores.db, { serialNumber: 'FCHDES003' });
    await writer.replace(device.id, [{ name: 'GPP_A', value: '0' }]);
    const writes = (async () => {
      for (let i = 1; i <= 10; i++) await writer.replace(device.id, [{ name: 'GPP_A', value: String(i) }, { name: 'GPP_B', value: String(i) }]);
    })();
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      const config = await reader.get(device.id);
      const values = Object.fromEntries(config!.entries.map((e) => [e.name, e.value]));
      seen.push(values.GPP_A);
      if (values.GPP_A !== '0') expect(values.GPP_B).toBe(values.GPP_A);
    }
    await writes;
    expect(seen.every((v) => /^\d+$/.test(v))).toBe(true);
    expect((await reader.get(device.id))?.entries).toEqual([{ name: 'GPP_A', value: '10' }, { name: 'GPP_B', value: '10' }]);
  });

  it('changes some parameters, keeping the rest and the delivery, under a new revision', async () => {
    const store = new StoredDesiredConfig(acs.stores.db);
    const device = await registerDevice(acs.stores.db, { serialNumber: 'FCHDES002' });
    const first = await store.change(device.id, { set: [{ name: 'Station_Name', value: 'One' }, { name: 'GPP_A', value: 'a' }], delivery: { aes128gcm: true } });
    const next = await store.change(device.id, { set: [{ name: 'GPP_B', value: 'b' }], remove: ['GPP_A'] });
    expect(next.entries).toEqual([{ name: 'Station_Name', value: 'One' }, { name: 'GPP_B', value: 'b' }]);
    expect(next.delivery).toEqual({ gzip: false, aes128gcm: true, deviceKey: false });
    expect(next.revision).not.toBe(first.revision);
    // Concurrent changes both land: the revision serialises them.
    await Promise.all([store.change(device.id, { set: [{ name: 'GPP_C', value: 'c' }] }), store.change(device.id, { set: [{ name: 'GPP_D', value: 'd' }] })]);
    expect((await store.get(device.id))?.entries.map((e) => e.name).sort()).toEqual(['GPP_B', 'GPP_C', 'GPP_D', 'Station_Name']);
    // Only the current revision is kept; a reader (another replica, no cache) sees it whole.
    expect(await store.revisions.countDocuments({ deviceId: device.id })).toBe(1);
    expect((await new StoredDesiredConfig(acs.stores.db).get(device.id))?.entries).toHaveLength(4);
    expect(await store.remove(device.id)).toBe(true);
    expect(await store.revisions.countDocuments({ deviceId: device.id })).toBe(0);
    expect(await store.get(device.id)).toBeUndefined();
  });
});

describe('MAC directory', () => {
  it('finds a device by MAC, follows a MAC that moves, and refuses what is no MAC', async () => {
    const macs = new MacDirectory(acs.stores.db);
    const a = await registerDevice(acs.stores.db, { serialNumber: 'FCHMAC001' });
    const b = await registerDevice(acs.stores.db, { serialNumber: 'FCHMAC002' });
    expect(await macs.assign(a.id, '00:56:2B:0C:00:01', 'api')).toBe(true);
    expect(await macs.lookup('00562b0c0001')).toBe(a.id);
    expect((await new DeviceRepository(acs.stores.db).get(a.id, { mac: 1 }))?.mac).toBe('00562b0c0001');
    // The device gets another MAC: the old one no longer leads to it.
    await macs.assign(a.id, '00562b0c0002', 'api');
    expect(await macs.lookup('00562b0c0001')).toBeUndefined();
    // The MAC moves to another device: the directory follows it.
    await macs.assign(b.id, '00562b0c0002', 'report');
    expect(await macs.lookup('00562b0c0002')).toBe(b.id);
    expect(await macs.assign('nope-NOPE-1', '00562b0c0003', 'api')).toBe(false);
    await expect(macs.assign(a.id, 'zz', 'api')).rejects.toThrow(/not a MAC address/);
  });
});

describe('mapping overrides and data-model discovery', () => {
  it('refuses overrides that break the mapping and keeps the ones stored', async () => {
    const overrides = new MappingOverrideStore(acs.stores.db);
    await overrides.replace('CP-8851-3PCC', { Profile_Rule: 'Device.X_CISCO_Provisioning.ProfileRule', 'Proxy_{n}_': 'Device.Services.VoiceService.1.VoiceProfile.{n}.SIP.RegistrarServer' });
    const kept = await overrides.get('CP-8851-3PCC');
    const bad: Array<[Record<string, string | null>, RegExp]> = [
      [{ No_Such: 'Device.X.Y' }, /No_Such is not a catalogue parameter/],
      [{ Station_Name: 'not a path' }, /is not a TR-069 parameter path/],
      [{ Station_Name: 'Device.ManagementServer.URL' }, /both map to Device.ManagementServer.URL/],
      [{ Station_Name: 'Device.X.{n}.Y' }, /needs a \{n\} template name/],
    ];
    for (const [entries, message] of bad) {
      await expect(overrides.replace('CP-8851-3PCC', entries)).rejects.toThrow(MappingOverrideError);
      await expect(overrides.replace('CP-8851-3PCC', entries)).rejects.toThrow(message);
    }
    await expect(overrides.replace('../etc', {})).rejects.toThrow(/not a product class/);
    expect(await overrides.get('CP-8851-3PCC')).toEqual(kept);
    expect((await overrides.mapper('CP-8851-3PCC')).resolve('Proxy_3_')?.path).toBe('Device.Services.VoiceService.1.VoiceProfile.3.SIP.RegistrarServer');
    expect(Object.keys(await overrides.all())).toEqual(['CP-8851-3PCC']);
  });

  it('learns a phone model\'s tree per product class and firmware, and reports which catalogue parameters it has', async () => {
    const db = acs.stores.db;
    const tasks = new TaskRepository(db);
    const devices = new DeviceRepository(db);
    const mappings = new MappingOverrideStore(db);
    await mappings.replace('CP-7841-3PCC', { Profile_Rule: 'Device.X_CISCO_Provisioning.ProfileRule' });
    const discovery = new DataModelDiscovery(db, tasks, devices, mappings);
    const fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'DM', productClass: 'CP-7841-3PCC', retry: false });
    try {
      await fleet.start();
      const d = fleet.device(0);
      await d.runSession();
      const started = await discovery.start(d.deviceId);
      const version = String(d.model.get('Device.DeviceInfo.SoftwareVersion'));
      expect(started).toMatchObject({ productClass: 'CP-7841-3PCC', softwareVersion: version, state: 'pending' });
      expect((await discovery.match('CP-7841-3PCC', version)).match).toBeUndefined();
      expect((await d.runSession()).acsRequests).toEqual(['GetParameterNames']);
      const { model, match } = await discovery.match('CP-7841-3PCC', version);
      expect(model).toMatchObject({ state: 'captured', deviceId: d.deviceId });
      expect(model.parameters).toBeGreaterThan(100);
      expect(match?.matched).toEqual(expect.arrayContaining([
        { name: 'User_ID_1_', path: 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.URI' },
        { name: 'Profile_Rule', path: 'Device.X_CISCO_Provisioning.ProfileRule' },
      ]));
      // A candidate path the (simulated) phone does not have: delivered by file instead.
      expect(match?.missing).toContainEqual({ name: 'Enable_TR-069', path: 'Device.ManagementServer.EnableCWMP' });
      expect(match?.unmapped).toContain('Station_Name');
      expect(match?.unclaimed).toContain('Device.DeviceInfo.UpTime');
      expect((await discovery.list()).find((m) => m.productClass === 'CP-7841-3PCC')).toMatchObject({ state: 'captured', parameters: model.parameters });
      await expect(discovery.match('CP-7841-3PCC', 'sip78xx.0-0-0')).rejects.toThrow(/no data model learned/);
      expect((await discovery.paths('CP-7841-3PCC', version))?.has('Device.Services.VoiceService.1.VoiceProfile.4.Line.1.SIP.URI')).toBe(true);
      expect(await discovery.paths('CP-7841-3PCC', 'sip78xx.0-0-0')).toBeUndefined();
    } finally {
      await fleet.stop(1000);
    }
  });
});
