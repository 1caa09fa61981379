import { fileChanges, firmwareChanges, objectChanges, setChanges } from '../../../../src/provisioning/plan/changes';
import { factsOf, informed, informedDevice, macroFacts } from '../../../../src/provisioning/plan/facts';
import type { Inform } from '../../../../src/cwmp/soap/types';

const at = new Date('2026-11-18T12:00:00Z');

describe('history entries', () => {
  it('a SetParameterValues: old and new values, a secret only as changed', () => {
    expect(
      setChanges([
        { name: 'Periodic_Inform_Interval', path: 'Device.ManagementServer.PeriodicInformInterval', value: 600, type: 'xsd:unsignedInt', known: 300, fresh: true },
        { name: 'Station_Name', path: 'Device.X.StationName', value: 'Lobby', type: 'xsd:string', fresh: true },
        { name: 'Password_1_', path: 'Device.X.AuthPassword', value: 's3cret', type: 'xsd:string', secret: true, known: 'old', fresh: true },
      ]),
    ).toEqual([
      { name: 'Periodic_Inform_Interval', path: 'Device.ManagementServer.PeriodicInformInterval', old: '300', new: '600' },
      { name: 'Station_Name', path: 'Device.X.StationName', new: 'Lobby' },
      { name: 'Password_1_', path: 'Device.X.AuthPassword', secret: true },
    ]);
  });

  it('a delivered file: only the entries that differ from the file before, secrets by digest', () => {
    const before = { key: 'r1', digest: 'd1', at, values: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'S', value: 'h1', secret: true as const }] };
    const now = { key: 'r2', digest: 'd2', at, values: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: 'new' }, { name: 'S', value: 'h2', secret: true as const }] };
    expect(fileChanges(before, now)).toEqual([{ name: 'B', old: '2', new: '3' }, { name: 'C', new: 'new' }, { name: 'S', secret: true }]);
    expect(fileChanges(undefined, now)).toHaveLength(4);
    expect(fileChanges(now, now)).toEqual([]);
  });

  it('objects and firmware', () => {
    expect(objectChanges('Device.Services.VoiceService.1.VoiceProfile.1.Line.', 2)).toEqual([{ name: 'Device.Services.VoiceService.1.VoiceProfile.1.Line.2.', new: 'created' }]);
    expect(firmwareChanges('11.0.1', '12.0.2')).toEqual([{ name: 'SoftwareVersion', old: '11.0.1', new: '12.0.2' }]);
    expect(firmwareChanges(undefined, '12.0.2')).toEqual([{ name: 'SoftwareVersion', new: '12.0.2' }]);
  });
});

describe('device facts', () => {
  const inform = {
    deviceId: { manufacturer: 'Cisco', oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'FCH1' },
    parameterList: [
      { name: 'InternetGatewayDevice.DeviceInfo.SoftwareVersion', value: '11.0.1', type: 'xsd:string' },
      { name: 'Device.ManagementServer.ParameterKey', value: 'rK', type: 'xsd:string' },
    ],
  } as unknown as Inform;

  it('the Inform and the device document give the same facts', () => {
    const fromInform = factsOf(informedDevice('dev1', inform, { mac: '00562babcdef', tags: ['lobby'] }));
    const fromDoc = factsOf({ _id: 'dev1', deviceId: inform.deviceId, softwareVersion: '11.0.1', mac: '00562babcdef', tags: ['lobby'] });
    expect(fromInform).toEqual(fromDoc);
    expect(fromInform).toEqual({ deviceId: 'dev1', oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'FCH1', softwareVersion: '11.0.1', mac: '00562babcdef', tags: ['lobby'] });
  });

  it('reads a value under either root; absent is undefined', () => {
    expect(informed(inform, 'DeviceInfo.SoftwareVersion')).toBe('11.0.1');
    expect(informed(inform, 'ManagementServer.ParameterKey')).toBe('rK');
    expect(informed(inform, 'DeviceInfo.HardwareVersion')).toBeUndefined();
  });

  it('macros expand to the facts, the hardware version and the address the device came from', () => {
    const facts = factsOf({ _id: 'dev1', deviceId: inform.deviceId, mac: '00562babcdef' });
    expect(macroFacts(facts, { hardwareVersion: 'V02', remoteAddress: '192.0.2.7' })).toEqual({ deviceId: 'dev1', productClass: 'CP-8851-3PCC', serialNumber: 'FCH1', mac: '00562babcdef', hardwareVersion: 'V02', ip: '192.0.2.7' });
  });
});
