import { normaliseParameters } from '../../../src/profiles/parameters';
import { checkProfile, ProfileError } from '../../../src/profiles/store';
import { parametersFromXml } from '../../../src/profiles/import';

describe('profile parameters', () => {
  it('maps TR-069 paths to their XML parameter and value; a host and its port make one host:port', () => {
    const { entries, problems } = normaliseParameters([
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: '3600' },
      { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'true' },
      { name: 'Device.Services.VoiceService.1.VoiceProfile.2.SIP.ProxyServer', value: 'sip.example.com' },
      { name: 'Device.Services.VoiceService.1.VoiceProfile.2.SIP.ProxyServerPort', value: '5061' },
      { name: 'Station_Name', value: 'Lobby', ua: 'na' },
      { name: 'Speed_Dial_2_Name', keep: true, ua: 'rw' },
    ]);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { name: 'Station_Name', value: 'Lobby', ua: 'na' },
      { name: 'Speed_Dial_2_Name', value: '', ua: 'rw', selfClosing: true },
      { name: 'Periodic_Inform_Interval', value: '3600' },
      { name: 'Periodic_Inform_Enable', value: 'Yes' },
      { name: 'Proxy_2_', value: 'sip.example.com:5061' },
    ]);
  });

  it('refuses unknown parameters, wrong types, a port alone and the same parameter twice, naming each', () => {
    const { problems } = normaliseParameters([
      { name: 'Not_A_Parameter', value: '1' },
      { name: 'SIP_Port_1_', value: '70000' },
      { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'maybe' },
      { name: 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServerPort', value: '5060' },
      { name: 'Device.No.Such.Path', value: 'x' },
      { name: 'Periodic_Inform_Interval', value: '60' },
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: '120' },
      { name: 'Station_Name', value: 'x', keep: true },
    ]);
    expect(problems.map((p) => [p.name, p.code])).toEqual([
      ['Station_Name', 'form'],
      ['Device.No.Such.Path', 'unknown-parameter'],
      ['Device.ManagementServer.PeriodicInformEnable', 'type'],
      ['Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServerPort', 'type'],
      ['Not_A_Parameter', 'unknown-parameter'],
      ['SIP_Port_1_', 'type'],
      ['Device.ManagementServer.PeriodicInformInterval', 'duplicate'],
    ]);
    expect(problems.find((p) => p.name.endsWith('ProxyServerPort'))?.message).toMatch(/the port alone cannot be set/);
    expect(problems.find((p) => p.name === 'SIP_Port_1_')?.message).toMatch(/70000/);
  });

  it('checks values made of variables per device, not at save', () => {
    expect(normaliseParameters([{ name: 'SIP_Port_1_', value: '${port}' }]).problems).toEqual([]);
  });

  it('a refused profile names every problem and stores nothing', () => {
    expect(() => checkProfile('site', { precedence: 1.5, match: { macs: ['zz'] }, parameters: [{ name: 'Nope', value: '' }] })).toThrow(ProfileError);
    try {
      checkProfile('site', { precedence: 1.5, match: { macs: ['zz'] }, parameters: [{ name: 'Nope', value: '' }] });
    } catch (err) {
      expect((err as ProfileError).status).toBe(422);
      expect((err as ProfileError).problems.map((p) => p.name)).toEqual(['precedence', 'match', 'Nope']);
    }
    expect(() => checkProfile('conflicts', { precedence: 1, match: {}, parameters: [] })).toThrow(/reserved/);
    expect(() => checkProfile('bad name!', { precedence: 1, match: {}, parameters: [] })).toThrow(/not a profile name/);
  });

  it('imports a Cisco XML profile: values, ua, kept elements, the last duplicate winning', () => {
    const xml = '<device><flat-profile><Station_Name ua="na">Old</Station_Name><Station_Name ua="na">Lobby</Station_Name><Speed_Dial_2_Name ua="rw"/></flat-profile></device>';
    expect(parametersFromXml(xml)).toEqual([
      { name: 'Station_Name', value: 'Lobby', ua: 'na' },
      { name: 'Speed_Dial_2_Name', value: '', ua: 'rw', keep: true },
    ]);
    expect(() => parametersFromXml('<flat-profile><A>')).toThrow(/cannot be read/);
    expect(() => parametersFromXml('<!DOCTYPE x [<!ENTITY a "b">]><flat-profile/>')).toThrow(ProfileError);
  });
});
