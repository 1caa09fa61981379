import { gunzipSync } from 'node:zlib';
import { decryptAes128Gcm, decryptCbc } from '../../../src/cisco/crypto';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { checkEntries, DEFAULT_DELIVERY, DesiredConfigError, ProfileRenderer, renderDeviceProfile, type DesiredConfig, type DeviceFacts } from '../../../src/provisioning';
import type { ProfileEntry } from '../../../src/cisco/profile';

const device: DeviceFacts = { deviceId: 'd', productClass: 'CP-6841-3PCC', serialNumber: '88012BA01234', mac: '000e08012345', softwareVersion: 'sip68xx.11-0-1MPP' };
const config = (entries: ProfileEntry[], delivery: Partial<DesiredConfig['delivery']> = {}): DesiredConfig => ({ entries, delivery: { ...DEFAULT_DELIVERY, ...delivery }, revision: 'r', updatedAt: new Date() });
const values = (body: Buffer) => profileValues(parseProfile(body));

describe('renderDeviceProfile', () => {
  it('expands the ACS-side macros of ordinary values and leaves the phone\'s own templates alone', () => {
    const rendered = renderDeviceProfile(
      device,
      config([
        { name: 'Station_Name', value: '$PN $(MAU:6) $SN $$5 $STRANGE' },
        { name: 'Display_Name_1_', value: 'Line of $UID1' },
        { name: 'User_ID_1_', value: '4085551000' },
        { name: 'Profile_Rule', value: 'https://prov.example.net/cfg/$MA.xml' },
        { name: 'Log_Request_Msg', value: '$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH' },
        { name: 'HTTP_User_Agent_Name', value: '$VERSION ($MA)' },
        { name: 'GPP_B', value: 'posted $SWVER' },
      ]),
    );
    expect(values(rendered.body)).toEqual({
      Station_Name: 'CP-6841-3PCC 012345 88012BA01234 $5 $STRANGE',
      Display_Name_1_: 'Line of 4085551000',
      User_ID_1_: '4085551000',
      Profile_Rule: 'https://prov.example.net/cfg/$MA.xml',
      Log_Request_Msg: '$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH',
      HTTP_User_Agent_Name: '$VERSION ($MA)',
      GPP_B: 'posted $SWVER',
    });
    expect(rendered).toMatchObject({ contentType: 'application/xml', count: 7 });
    expect(rendered.contentEncoding).toBeUndefined();
  });

  it('keeps "leave the user\'s value" entries self-closing with their ua (001 L692-712)', () => {
    const xml = renderDeviceProfile(device, config([{ name: 'Speed_Dial_2_Name', value: '', ua: 'rw', selfClosing: true }, { name: 'GPP_A', value: '', ua: 'na' }])).body.toString();
    expect(xml).toContain('<Speed_Dial_2_Name ua="rw"/>');
    expect(xml).toContain('<GPP_A ua="na"></GPP_A>');
  });

  it('encrypts with the rule\'s --key first, else with aes128gcm when asked and an IKM is desired, gzip underneath', () => {
    const entries = [
      { name: 'Station_Name', value: 'x' },
      { name: 'IKM_HTTP_Encrypt_Content', value: 'the-ikm' },
    ];
    const cbc = renderDeviceProfile(device, config(entries, { gzip: true, aes128gcm: true }), { cbcKey: 'SecretPhrase1234' });
    expect(cbc.contentEncoding).toBeUndefined();
    expect(values(gunzipSync(decryptCbc(cbc.body, 'SecretPhrase1234')))).toMatchObject({ Station_Name: 'x' });
    const gcm = renderDeviceProfile(device, config(entries, { aes128gcm: true }));
    expect(gcm.contentEncoding).toBe('aes128gcm');
    expect(values(decryptAes128Gcm(gcm.body, Buffer.from('the-ikm')))).toMatchObject({ Station_Name: 'x' });
    const off = renderDeviceProfile(device, config(entries, { gzip: true }));
    expect(off.contentEncoding).toBeUndefined();
    expect(values(gunzipSync(off.body))).toMatchObject({ Station_Name: 'x' });
    const noIkm = renderDeviceProfile(device, config([{ name: 'Station_Name', value: 'x' }], { aes128gcm: true }));
    expect(values(noIkm.body)).toEqual({ Station_Name: 'x' });
  });

  it('gives the same ETag to the same profile and another to other content or wrapping', () => {
    const a = renderDeviceProfile(device, config([{ name: 'Station_Name', value: 'x' }]));
    expect(renderDeviceProfile(device, config([{ name: 'Station_Name', value: 'x' }])).etag).toBe(a.etag);
    expect(renderDeviceProfile(device, config([{ name: 'Station_Name', value: 'y' }])).etag).not.toBe(a.etag);
    expect(renderDeviceProfile(device, config([{ name: 'Station_Name', value: 'x' }], { gzip: true })).etag).not.toBe(a.etag);
    expect(renderDeviceProfile({ ...device, mac: '000e08999999' }, config([{ name: 'Station_Name', value: '$MA' }])).etag).not.toBe(
      renderDeviceProfile(device, config([{ name: 'Station_Name', value: '$MA' }])).etag,
    );
  });
});

describe('ProfileRenderer', () => {
  it('renders a revision once per device, and encrypts afresh on every request', () => {
    const renderer = new ProfileRenderer();
    const desired = config([{ name: 'Station_Name', value: 'Desk $MA' }], { gzip: true });
    const first = renderer.render(device, desired, { cbcKey: 'k' });
    const again = renderer.render(device, desired, { cbcKey: 'k' });
    expect(first.etag).toBe(again.etag);
    expect(first.body.equals(again.body)).toBe(false);
    expect(gunzipSync(decryptCbc(again.body, 'k')).toString()).toContain('<Station_Name>Desk 000e08012345</Station_Name>');
    const other = renderer.render({ ...device, mac: '000e08999999' }, desired);
    expect(gunzipSync(other.body).toString()).toContain('<Station_Name>Desk 000e08999999</Station_Name>');
    const next = renderer.render(device, { ...config([{ name: 'Station_Name', value: 'Changed' }], { gzip: true }), revision: 'r2' });
    expect(gunzipSync(next.body).toString()).toContain('<Station_Name>Changed</Station_Name>');
  });
});

describe('checkEntries (desired parameters at save)', () => {
  const refused = (entries: ProfileEntry[]) => {
    try {
      checkEntries(entries);
    } catch (err) {
      expect(err).toBeInstanceOf(DesiredConfigError);
      return (err as DesiredConfigError).issues.map((i) => i.message);
    }
    throw new Error('accepted');
  };

  it('names an unknown parameter, a wrong type and a malformed rule', () => {
    expect(refused([{ name: 'Resync_On_Rest', value: 'Yes' }])).toEqual(['Resync_On_Rest: unknown parameter']);
    expect(refused([{ name: 'resync_on_reset', value: 'Yes' }])).toEqual(['resync_on_reset: unknown parameter (did you mean Resync_On_Reset?)']);
    expect(refused([{ name: 'Resync_Random_Delay', value: '70000' }])[0]).toMatch(/^Resync_Random_Delay: .*65535/);
    expect(refused([{ name: 'Resync_On_Reset', value: 'maybe' }])[0]).toMatch(/^Resync_On_Reset: /);
    expect(refused([{ name: 'Profile_Rule', value: '($A eq 1)? http://a/x | http://b/y | http://c/z' }])[0]).toMatch(/^Profile_Rule: .*condition/);
    expect(refused([{ name: 'Station_Name', value: 'x', ua: 'xx' as never }])).toEqual(['Station_Name: ua "xx" is not na, ro or rw']);
    expect(refused([{ name: 'Station_Name', value: 'x', selfClosing: true }])[0]).toMatch(/self-closing/);
  });

  it('does not echo a secret in its messages', () => {
    const [message] = refused([{ name: 'User_Password', value: 'abc' }]);
    expect(message).toMatch(/^User_Password: /);
    expect(message).not.toContain('abc');
  });

  it('keeps the last of duplicate names, as a profile would', () => {
    expect(checkEntries([{ name: 'GPP_A', value: '1' }, { name: 'GPP_B', value: '2' }, { name: 'GPP_A', value: '3' }])).toEqual([
      { name: 'GPP_B', value: '2' },
      { name: 'GPP_A', value: '3' },
    ]);
  });
});
