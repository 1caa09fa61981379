import { Tr069Mapper } from '../../../../src/cisco/mapping';
import { driftOf } from '../../../../src/provisioning/plan/drift';

const PC = 'CP-8851-3PCC';
const at = new Date('2026-11-18T12:00:00Z');

describe('drift', () => {
  it('compares with what the device reported over TR-069, else its configuration report, else says unknown', () => {
    const tree = { Device: { ManagementServer: { PeriodicInformInterval: { _v: 300, _ts: at }, PeriodicInformEnable: { _v: true, _ts: at } } } };
    const items = driftOf(
      [
        { name: 'Periodic_Inform_Interval', value: '600' },
        { name: 'Periodic_Inform_Enable', value: 'Yes' },
        { name: 'Station_Name', value: 'Lobby' },
        { name: 'Primary_NTP_Server', value: 'ntp.example.com' },
        { name: 'Password_1_', value: 'hunter2' },
        { name: 'Speed_Dial_2_Name', value: '', selfClosing: true },
      ],
      new Set(['Password_1_']),
      new Tr069Mapper(PC),
      tree,
      { config: { Station_Name: 'Front desk' }, configAt: at },
    );
    expect(items).toEqual([
      { name: 'Periodic_Inform_Interval', path: 'Device.ManagementServer.PeriodicInformInterval', status: 'drift', desired: '600', reported: '300', reportedAt: at, via: 'parameters' },
      { name: 'Periodic_Inform_Enable', path: 'Device.ManagementServer.PeriodicInformEnable', status: 'in-sync', desired: 'Yes', reported: 'Yes', reportedAt: at, via: 'parameters' },
      { name: 'Station_Name', status: 'drift', desired: 'Lobby', reported: 'Front desk', via: 'report', reportedAt: at },
      { name: 'Primary_NTP_Server', status: 'unknown', desired: 'ntp.example.com' },
      { name: 'Password_1_', status: 'unknown', secret: true },
    ]);
  });
});
