import { gzipSync } from 'node:zlib';
import { encodeProfile } from '../../../src/cisco/crypto';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { applyCiscoProfile, ciscoConfigHooks, ciscoReport, TransferError } from '../../../src/sim';
import { newDevice } from './support';

const vp = 'Device.Services.VoiceService.1.VoiceProfile';
const profile = (body: string) => `<flat-profile>\n${body}\n</flat-profile>\n`;

describe('a simulated phone applying a Cisco profile', () => {
  it('sets mapped parameters in its data model and keeps the others in its vendor store', () => {
    const d = newDevice();
    const result = applyCiscoProfile(
      d,
      Buffer.from(profile('<Proxy_2_>sip.example.net:5070</Proxy_2_><Display_Name_2_>Reception</Display_Name_2_><Station_Name>Front</Station_Name><Profile_Rule>https://p/x.xml</Profile_Rule><Speed_Dial_2_Name ua="rw"/>')),
    );
    expect(result.parameters.sort()).toEqual([`${vp}.2.Line.1.CallingFeatures.CallerIDName`, `${vp}.2.SIP.ProxyServer`, `${vp}.2.SIP.ProxyServerPort`]);
    expect(result.vendor).toEqual(['Station_Name', 'Profile_Rule']);
    expect(d.model.get(`${vp}.2.SIP.ProxyServerPort`)).toBe(5070);
    expect(d.vendorStore.get('Station_Name')).toBe('Front');
    // Self-closing: the phone keeps what it has.
    expect(d.vendorStore.has('Speed_Dial_2_Name')).toBe(false);
  });

  it('follows the operator\'s mapping overrides', () => {
    const d = newDevice();
    const overrides = { 'CP-8851-3PCC': { Profile_Rule: 'Device.X_CISCO_Provisioning.ProfileRule', Station_Name: null } };
    applyCiscoProfile(d, Buffer.from(profile('<Profile_Rule>https://p/$MA.xml</Profile_Rule>')), { overrides });
    expect(d.model.get('Device.X_CISCO_Provisioning.ProfileRule')).toBe('https://p/$MA.xml');
    expect(d.vendorStore.size).toBe(0);
  });

  it('reads gzip and AES-256-CBC files with the key it holds', () => {
    const d = newDevice();
    const body = encodeProfile(profile('<Station_Name>Sealed</Station_Name>'), { gzip: true, encryption: { method: 'aes-256-cbc', key: 'k1' } }).body;
    applyCiscoProfile(d, body, { key: 'k1' });
    expect(d.vendorStore.get('Station_Name')).toBe('Sealed');
    expect(() => applyCiscoProfile(d, body, { key: 'k2' })).toThrow(TransferError);
  });

  it('refuses a file with a value its data model rejects, or one it cannot read, changing nothing (9018)', () => {
    const d = newDevice();
    const bad = Buffer.from(profile('<Station_Name>Never</Station_Name><Register_Expires_1_>-5</Register_Expires_1_>'));
    const err = (() => {
      try {
        applyCiscoProfile(d, bad);
      } catch (e) {
        return e as TransferError;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ faultCode: 9018, message: expect.stringMatching(/Register_Expires_1_/) });
    expect(d.vendorStore.size).toBe(0);
    expect(() => applyCiscoProfile(d, gzipSync('not a profile'))).toThrow(/File corrupted/);
    expect(ciscoConfigHooks().applyConfigFile).toBeInstanceOf(Function);
  });

  it('reports what it has, mapped and vendor values, without secrets; a factory reset forgets the vendor store', () => {
    const d = newDevice();
    applyCiscoProfile(d, Buffer.from(profile('<User_ID_1_>4085551000</User_ID_1_><Password_1_>line-secret</Password_1_><GPP_SA>s</GPP_SA><GPP_A>open</GPP_A>')));
    const reported = profileValues(parseProfile(ciscoReport(d)));
    expect(reported).toMatchObject({ User_ID_1_: '4085551000', GPP_A: 'open' });
    expect(reported.Password_1_).toBeUndefined();
    expect(reported.GPP_SA).toBeUndefined();
    d.factoryReset();
    expect(profileValues(parseProfile(ciscoReport(d))).GPP_A).toBeUndefined();
  });
});
