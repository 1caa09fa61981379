import { redactMessage, redactUrl, REDACTED } from '../../../../src/cwmp/trace';
import type { Download, GetParameterValuesResponse, SetParameterValues } from '../../../../src/cwmp/soap/types';

describe('redactMessage', () => {
  it('hides values of parameters named like passwords, keys, secrets and tokens, and keeps the rest', () => {
    const names = [
      'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthPassword',
      'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
      'Device.WiFi.AccessPoint.1.Security.PreSharedKey',
      'Device.X_CISCO_Admin_Passwd',
      'Device.ManagementServer.ConnectionRequestPassword',
      'Device.X_CISCO_SharedSecret',
      'Device.X_VENDOR_ApiToken',
      'Device.X_VENDOR_Pwd',
    ];
    const spv: SetParameterValues = {
      method: 'SetParameterValues',
      parameterKey: 'k',
      parameterList: [...names.map((name) => ({ name, value: 'hunter2', type: 'xsd:string' as const })), { name: 'Device.DeviceInfo.ProvisioningCode', value: 'floor-3', type: 'xsd:string' }],
    };
    const out = redactMessage(spv) as SetParameterValues;
    expect(out.parameterList.filter((p) => p.value === REDACTED).map((p) => p.name)).toEqual(names);
    expect(out.parameterList.at(-1)).toEqual({ name: 'Device.DeviceInfo.ProvisioningCode', value: 'floor-3', type: 'xsd:string' });
    expect(JSON.stringify(out)).not.toContain('hunter2');
    expect(spv.parameterList[0].value).toBe('hunter2');

    const gpv: GetParameterValuesResponse = { method: 'GetParameterValuesResponse', parameterList: [{ name: names[0], value: 'read-back', type: 'xsd:string' }] };
    expect(JSON.stringify(redactMessage(gpv))).not.toContain('read-back');
  });

  it('hides Download credentials and the credentials and query of its URLs', () => {
    const dl: Download = {
      method: 'Download',
      commandKey: 'c',
      fileType: '1 Firmware Upgrade Image',
      url: 'https://user:pw@files.example.net/fw/sip88xx.loads?exp=1&sig=abc',
      username: 'dl-user',
      password: 'dl-pass',
      fileSize: 0,
      targetFileName: '',
      delaySeconds: 0,
      successURL: 'http://example.net/ok?token=t',
      failureURL: '',
    };
    const out = redactMessage(dl) as Download;
    expect(out).toMatchObject({
      username: REDACTED,
      password: REDACTED,
      url: `https://${REDACTED}@files.example.net/fw/sip88xx.loads?${REDACTED}`,
      successURL: `http://example.net/ok?${REDACTED}`,
      failureURL: '',
    });
  });

  it('leaves URLs without credentials or query as they are', () => {
    expect(redactUrl('http://files.example.net/cisco/$MA.cfg')).toBe('http://files.example.net/cisco/$MA.cfg');
  });
});
