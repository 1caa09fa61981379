import { formatChallenge } from '../../../src/cwmp/auth/digest';
import { decodeEnvelope } from '../../../src/cwmp/soap';
import type { AcsRequest, Download, Inform, TransferComplete } from '../../../src/cwmp/soap/types';
import { Fleet, TransferError, type FleetOptions, type SessionOutcome } from '../../../src/sim';
import { ScriptedPeer, methodOf, sessionScript, type Received } from './scripted-peer';

const peers: ScriptedPeer[] = [];
const fleets: Fleet[] = [];

async function peer(script = sessionScript()): Promise<ScriptedPeer> {
  const p = await ScriptedPeer.start(script);
  peers.push(p);
  return p;
}

async function fleetFor(p: ScriptedPeer, opts: Partial<FleetOptions> = {}): Promise<Fleet> {
  const fleet = new Fleet({ acsUrl: p.url(), retry: false, connectionRequests: false, ...opts });
  await fleet.start();
  fleets.push(fleet);
  return fleet;
}

afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.stop(100)));
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

function informs(p: ScriptedPeer): Inform[] {
  return p.received.filter((r) => methodOf(r) === 'Inform').map((r) => decodeEnvelope(r.body).body as Inform);
}

function download(url: string, fileType = '1 Firmware Upgrade Image', extra: Partial<Download> = {}): AcsRequest {
  return {
    method: 'Download',
    commandKey: 'dl-1',
    fileType,
    url,
    username: '',
    password: '',
    fileSize: 0,
    targetFileName: '',
    delaySeconds: 0,
    successURL: '',
    failureURL: '',
    ...extra,
  };
}

/** Runs the session that hands out `req`, and waits for the session reporting its transfer. */
async function transferRound(fleet: Fleet, acs: ScriptedPeer, req: AcsRequest): Promise<{ tc: TransferComplete; outcome: SessionOutcome }> {
  acs.script = sessionScript([req]);
  const device = fleet.device(0);
  const reported = device.nextSession((o) => o.events.includes('7 TRANSFER COMPLETE'), 10_000);
  expect((await device.runSession()).ok).toBe(true);
  const outcome = await reported;
  const tc = acs.received.filter((r) => methodOf(r) === 'TransferComplete').map((r) => decodeEnvelope(r.body).body as TransferComplete);
  return { tc: tc[tc.length - 1], outcome };
}

describe('Fleet', () => {
  it('benchmark mode: every device runs k sessions, with statistics', async () => {
    const p = await peer();
    const fleet = await fleetFor(p, { count: 3, concurrency: 2 });
    const seen: string[] = [];
    fleet.on('session', (device, outcome) => seen.push(`${device.index}:${outcome.ok}`));
    const summary = await fleet.runSessions(2, 2);
    expect(summary.sessions).toEqual({ ok: 6, failed: 0, byReason: {}, failures: {} });
    expect(summary.latencyMs.count).toBe(6);
    expect(fleet.latencies).toHaveLength(6);
    expect(summary.latencyMs.p50).toBeLessThanOrEqual(summary.latencyMs.p99);
    expect(summary.httpStatus).toEqual({ '200': 6, '204': 6 });
    expect(summary.httpRequests).toBe(12);
    expect(seen.sort()).toEqual(['0:true', '0:true', '1:true', '1:true', '2:true', '2:true']);
    const all = informs(p);
    expect(new Set(all.map((i) => i.deviceId.serialNumber)).size).toBe(3);
    for (const d of fleet.devices) {
      const own = all.filter((i) => i.deviceId.serialNumber === d.serialNumber).map((i) => i.event.map((e) => e.eventCode).join('+'));
      expect(own).toEqual(['0 BOOTSTRAP+1 BOOT', '2 PERIODIC']);
    }
  });

  it('mixes products per device and validates options', async () => {
    const p = await peer();
    const fleet = await fleetFor(p, { count: 2, perDevice: (i) => ({ productClass: i === 0 ? 'CP-7841-3PCC' : 'CP-6871-3PCC' }) });
    expect(fleet.devices.map((d) => d.model.get('Device.DeviceInfo.ProductClass'))).toEqual(['CP-7841-3PCC', 'CP-6871-3PCC']);
    expect(fleet.device(0).deviceId).toBe(`00562B-CP%2D7841%2D3PCC-${fleet.device(0).serialNumber}`);
    expect(() => new Fleet({ acsUrl: p.url(), productClass: 'CP-9999' })).toThrow(/unknown product class "CP-9999"/);
    expect(() => new Fleet({ acsUrl: 'not a url' })).toThrow(/acsUrl "not a url"/);
    expect(() => fleet.device(5)).toThrow(/no device 5/);
  });

  it('boots again after Reboot, with 1 BOOT + M Reboot', async () => {
    const p = await peer(sessionScript([{ method: 'Reboot', commandKey: 'rb-1' }]));
    const fleet = await fleetFor(p);
    const device = fleet.device(0);
    const reboot = device.nextSession((o) => o.events.includes('M Reboot'));
    await device.runSession();
    p.script = sessionScript();
    expect((await reboot).events).toEqual(['1 BOOT', 'M Reboot']);
    expect(informs(p)[1].event).toEqual([
      { eventCode: '1 BOOT', commandKey: '' },
      { eventCode: 'M Reboot', commandKey: 'rb-1' },
    ]);
  });

  it('bootstraps again after FactoryReset', async () => {
    const p = await peer();
    const fleet = await fleetFor(p);
    const device = fleet.device(0);
    await device.runSession();
    p.script = sessionScript([
      { method: 'SetParameterValues', parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', value: 86400, type: 'xsd:unsignedInt' }], parameterKey: 'pk' },
      { method: 'FactoryReset' },
    ]);
    const again = device.nextSession((o) => o.events.includes('0 BOOTSTRAP'));
    await device.runSession();
    p.script = sessionScript();
    expect((await again).events).toEqual(['0 BOOTSTRAP', '1 BOOT']);
    expect(device.model.get('Device.ManagementServer.PeriodicInformInterval')).toBe(20);
    expect(device.model.get('Device.ManagementServer.ParameterKey')).toBe('');
  });

  it('reports a local change with active notification in a session of its own', async () => {
    const p = await peer();
    const fleet = await fleetFor(p);
    const device = fleet.device(0);
    await device.runSession();
    const name = 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.CallingFeatures.DoNotDisturbEnable';
    device.model.setAttributes(name, { notification: 2, accessList: [] });
    const change = device.nextSession((o) => o.events.includes('4 VALUE CHANGE'));
    device.setLocal(name, true);
    await change;
    expect(informs(p)[1].parameterList).toContainEqual({ name, value: true, type: 'xsd:boolean' });
  });

  it('runs periodic informs at PeriodicInformInterval', async () => {
    const p = await peer();
    const fleet = await fleetFor(p, { periodic: true, bootOnStart: true, periodicInformInterval: 1 });
    const outcome = await fleet.device(0).nextSession((o) => o.events.includes('2 PERIODIC'), 10_000);
    expect(outcome.ok).toBe(true);
    expect(informs(p)[0].event.map((e) => e.eventCode)).toEqual(['0 BOOTSTRAP', '1 BOOT']);
  });

  it('waits a PeriodicInformInterval too long for one Node timer instead of firing at once', async () => {
    const p = await peer();
    const fleet = await fleetFor(p, { periodic: true, periodicInformInterval: 2 ** 32 - 1 });
    await expect(fleet.device(0).nextSession(undefined, 300)).rejects.toThrow(/no matching session within 300 ms/);
    expect(p.received).toHaveLength(0);
  });

  it('full CWMP mode: uploads a configuration file and fires a ScheduleInform', async () => {
    const files = await peer(() => ({ status: 201 }));
    const acs = await peer();
    const fleet = await fleetFor(acs, { fullCwmp: true, password: 'do-not-leak' });
    const device = fleet.device(0);
    await device.runSession();
    const upload: AcsRequest = { method: 'Upload', commandKey: 'up-1', fileType: '1 Vendor Configuration File', url: files.url('/up/cfg.txt'), username: '', password: '', delaySeconds: 0 };
    const { tc, outcome } = await transferRound(fleet, acs, upload);
    expect(outcome.events).toEqual(['7 TRANSFER COMPLETE', 'M Upload']);
    expect(tc).toMatchObject({ commandKey: 'up-1', faultStruct: { faultCode: 0 } });
    expect(files.received[0].method).toBe('PUT');
    expect(files.received[0].body).toContain(`Device.DeviceInfo.SerialNumber=${device.serialNumber}`);
    expect(files.received[0].body).not.toContain('do-not-leak');
    acs.script = sessionScript([{ method: 'ScheduleInform', delaySeconds: 1, commandKey: 'si-1' }]);
    const scheduled = device.nextSession((o) => o.events.includes('3 SCHEDULED'), 10_000);
    await device.runSession();
    expect((await scheduled).events).toEqual(['3 SCHEDULED', 'M ScheduleInform']);
  });

  it('stops: aborts a session the ACS never answers, closes everything, refuses new sessions', async () => {
    const p = await peer(() => new Promise(() => undefined));
    const fleet = new Fleet({ acsUrl: p.url(), retry: false });
    await fleet.start();
    const crUrl = fleet.device(0).connectionRequestUrl;
    const pending = fleet.device(0).runSession();
    for (let i = 0; i < 500 && p.received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await fleet.stop(50);
    expect(await pending).toMatchObject({ ok: false, reason: 'aborted' });
    await expect(fleet.device(0).runSession()).rejects.toThrow(/stopped/);
    await expect(fetch(crUrl)).rejects.toThrow();
  });
});

describe('downloads', () => {
  it('installs a firmware image: new SoftwareVersion, reboot, TransferComplete 0, Digest to the file server', async () => {
    const image = Buffer.alloc(2048, 7);
    const files = await peer((req: Received) => {
      if (!req.headers.authorization) {
        return { status: 401, headers: { 'www-authenticate': formatChallenge({ realm: 'files', nonce: 'fnonce', algorithm: 'MD5', stale: false }) } };
      }
      return { status: 200, body: image };
    });
    const acs = await peer();
    const fleet = await fleetFor(acs);
    await fleet.device(0).runSession();
    const { tc, outcome } = await transferRound(
      fleet,
      acs,
      download(files.url('/fw/sip88xx.12-0-2MPP-1.loads'), '1 Firmware Upgrade Image', { username: 'f', password: 'g', fileSize: 2048 }),
    );
    expect(outcome.events).toEqual(['1 BOOT', '4 VALUE CHANGE', '7 TRANSFER COMPLETE', 'M Download']);
    expect(tc).toMatchObject({ commandKey: 'dl-1', faultStruct: { faultCode: 0, faultString: '' } });
    expect(fleet.device(0).model.get('Device.DeviceInfo.SoftwareVersion')).toBe('sip88xx.12-0-2MPP-1');
    expect(files.received.map((r) => r.headers.authorization?.startsWith('Digest username="f"') ?? false)).toEqual([false, true]);
  });

  it('answers a Basic challenge of the file server, and reports refused credentials as 9012', async () => {
    const good = `Basic ${Buffer.from('f:g').toString('base64')}`;
    const files = await peer((req) =>
      req.headers.authorization === good ? { status: 200, body: 'cfg' } : { status: 401, headers: { 'www-authenticate': 'Basic realm="files"' } },
    );
    const acs = await peer();
    const fleet = await fleetFor(acs);
    await fleet.device(0).runSession();
    const cfg = (password: string) => download(files.url('/c.xml'), '3 Vendor Configuration File', { username: 'f', password });
    expect((await transferRound(fleet, acs, cfg('g'))).tc.faultStruct.faultCode).toBe(0);
    expect((await transferRound(fleet, acs, cfg('wrong'))).tc.faultStruct.faultCode).toBe(9012);
  });

  it('takes the version from the firmware hook when one is set', async () => {
    const files = await peer(() => ({ status: 200, body: 'IMG' }));
    const acs = await peer();
    const fleet = await fleetFor(acs, { hooks: { firmwareVersion: (file) => `sip88xx.${file.body.toString()}-9` } });
    await fleet.device(0).runSession();
    await transferRound(fleet, acs, download(files.url('/anything.bin')));
    expect(fleet.device(0).model.get('Device.DeviceInfo.SoftwareVersion')).toBe('sip88xx.IMG-9');
  });

  it('applies a vendor configuration file through the hook, or fails it with the hook’s code', async () => {
    const files = await peer((req) => ({ status: 200, body: req.url === '/good.xml' ? '<flat-profile/>' : 'garbage' }));
    const acs = await peer();
    const fleet = await fleetFor(acs, {
      hooks: {
        applyConfigFile: (file, device) => {
          if (!file.body.toString().startsWith('<flat-profile')) throw new TransferError(9018, 'not a Cisco profile');
          device.model.set('Device.X_CISCO_Provisioning.ProfileRule', file.url);
        },
      },
    });
    await fleet.device(0).runSession();
    const good = await transferRound(fleet, acs, download(files.url('/good.xml'), '3 Vendor Configuration File'));
    expect(good.tc.faultStruct.faultCode).toBe(0);
    expect(good.outcome.events).toEqual(['7 TRANSFER COMPLETE', 'M Download']);
    expect(fleet.device(0).model.get('Device.X_CISCO_Provisioning.ProfileRule')).toBe(files.url('/good.xml'));
    const bad = await transferRound(fleet, acs, download(files.url('/bad.xml'), '3 Vendor Configuration File'));
    expect(bad.tc.faultStruct).toEqual({ faultCode: 9018, faultString: 'not a Cisco profile' });
  });

  it('maps failures to 9016 (not found), 9015 (no server), 9010 (too large, or failDownloads)', async () => {
    const files = await peer((req) => (req.url === '/missing' ? { status: 404 } : { status: 200, body: Buffer.alloc(5000) }));
    const acs = await peer();
    const fleet = await fleetFor(acs, { maxDownloadBytes: 1000 });
    await fleet.device(0).runSession();
    expect((await transferRound(fleet, acs, download(files.url('/missing')))).tc.faultStruct.faultCode).toBe(9016);
    expect((await transferRound(fleet, acs, download(files.url('/big')))).tc.faultStruct.faultCode).toBe(9010);
    expect((await transferRound(fleet, acs, download('http://127.0.0.1:1/none'))).tc.faultStruct.faultCode).toBe(9015);
    expect(fleet.device(0).model.get('Device.DeviceInfo.SoftwareVersion')).toBe('sip88xx.12-0-1MPP-2');
  });

  it('fails every download with 9010 when failDownloads is set, without fetching', async () => {
    const files = await peer(() => ({ status: 200, body: 'x' }));
    const acs = await peer();
    const fleet = await fleetFor(acs, { failDownloads: true });
    await fleet.device(0).runSession();
    const { tc } = await transferRound(fleet, acs, download(files.url('/sip88xx.12-0-2MPP-1.loads')));
    expect(tc.faultStruct.faultCode).toBe(9010);
    expect(files.received).toHaveLength(0);
  });
});
