import {
  checkValue,
  checkCharacters,
  legacyNameToXmlName,
  loadCatalogue,
  ParameterCatalogue,
  webNameToXmlName,
  type ParamType,
} from '../../../src/cisco/catalogue';
import { validateValue } from '../../../src/cisco/profile';

describe('Web-UI name -> XML name (digest S07)', () => {
  it.each([
    ['Resync On Reset', undefined, 'Resync_On_Reset'],
    ['Resync At (HHmm)', undefined, 'Resync_At__HHmm_'],
    ['Set Local Date (mm/dd/yyyy)', undefined, 'Set_Local_Date__mm_dd_yyyy_'],
    ['Dial Plan', 1, 'Dial_Plan_1_'],
    ['Line Enable', 2, 'Line_Enable_2_'],
    ['Enable 802.1X Authentication', undefined, 'Enable_802.1X_Authentication'],
    ['SIP TOS/DiffServ Value', 1, 'SIP_TOS_DiffServ_Value_1_'],
    ['Privacy Header', 10, 'Privacy_Header_10_'],
    ['Time Offset (HH/mm)', undefined, 'Time_Offset__HH_mm_'],
  ])('%s (tab %s) -> %s', (web, index, xml) => {
    expect(webNameToXmlName(web, index)).toBe(xml);
  });

  it('converts legacy plain-text names', () => {
    expect(legacyNameToXmlName('SIP_TOS/DiffServ_Value[1]')).toBe('SIP_TOS_DiffServ_Value_1_');
    expect(legacyNameToXmlName('User_ID[1]')).toBe('User_ID_1_');
    expect(legacyNameToXmlName('Set_Local_Time_(HH/mm)')).toBe('Set_Local_Time__HH_mm_');
  });
});

describe('data types (digest §6, S10)', () => {
  const cat = loadCatalogue();
  const issue = (name: string, value: string) => validateValue(name, value, cat)?.message;

  it('rejects the S10 values with the parameter and the rule', () => {
    expect(issue('Resync_Random_Delay', '70000')).toBe('Resync_Random_Delay: Uns16 70000 out of range 0..65535');
    expect(issue('Resync_At__HHmm_', '2500')).toBe('Resync_At__HHmm_: HHmm "2500" is not a time 0000..2400');
    expect(issue('Periodic_Upload_To_Server', '300')).toBe('Periodic_Upload_To_Server: Uns32 300 out of range 600..259200');
    expect(issue('Upload_Delay_On_Local_Change', '5')).toBe('Upload_Delay_On_Local_Change: Uns32 5 out of range 10..900');
    expect(issue('User_Password', 'abc')).toBe('User_Password: Str127 shorter than 4 characters');
    expect(issue('SIP_TOS_DiffServ_Value_1_', '0x100')).toBe('SIP_TOS_DiffServ_Value_1_: Uns8 0x100 out of range 0..255');
    expect(issue('SIP_Port_1_', '70000')).toBe('SIP_Port_1_: Port 70000 out of range 1..65535');
    expect(issue('Web_Server_Port', '65536')).toBe('Web_Server_Port: Port 65536 out of range 0..65535');
    expect(issue('Enable_Web_Server', 'maybe')).toBe('Enable_Web_Server: Bool "maybe" is not Yes/No or 1/0');
    expect(issue('Foo_Bar', 'x')).toBe('Foo_Bar: unknown parameter');
    expect(issue('proxy_1_', 'x')).toBe('proxy_1_: unknown parameter (did you mean Proxy_1_?)');
    expect(issue('Proxy_1_', `${'a'.repeat(60)}.example.com`)).toBe('Proxy_1_: FQDN longer than 63 characters');
    expect(issue('Enable_Protocol', 'Ftp')).toBe('Enable_Protocol: "Ftp" is not one of Http|Https');
    expect(issue('Static_IP', '10.0.0.300')).toBe('Static_IP: IP "10.0.0.300" is not an IPv4 address');
    expect(issue('Resync_Periodic', '3600+')).toBe('Resync_Periodic: Schedule "3600+" is not a list of delays like 1800+300,3600');
    expect(issue('Display_Name_1_', 'Jos\u00e9')).toBe('Display_Name_1_: non-ASCII character U+00E9 at offset 3');
    expect(issue('Profile_Rule', '("$A" lt "x")? http://a/b')).toMatch(
      /^Profile_Rule: ProvisioningRuleSyntax: at character \d+: operator lt compares integers and versions/,
    );
  });

  it('accepts the S10 values and the guides’ examples', () => {
    for (const [name, value] of [
      ['SIP_TOS_DiffServ_Value_1_', '0x18'],
      ['Resync_Periodic', '3600+600'],
      ['Resync_Error_Retry_Delay', '1800+300,3600+600,7200+900'],
      ['Upgrade_Error_Retry_Delay', '1800,3600,7200,14400+3600'],
      ['Resync_Error_Retry_Delay', '60,120,240,480,960,1920,3840,7680,15360,30720,61440,86400'],
      ['Resync_At__HHmm_', '0959'],
      ['Resync_At__HHmm_', '2400'],
      ['Enable_Web_Server', 'yes'],
      ['Enable_Web_Server', '0'],
      ['User_Password', 'Abc123'],
      ['User_Password', ''],
      ['Proxy_1_', 'sip.Cisco.com:5060'],
      ['Proxy_2_', '109.12.14.12:12345'],
      ['Peer_Firmware_Sharing_Log_Server', '10.98.76.123:514'],
      ['SIP_T1', '.5'],
      ['Profile_Rule', '[--key "SecretPhrase1234"] http://prov.telco.com/path/profile.cfg'],
      ['Upgrade_Rule', 'http://p.tel.com/firmware/sip68xx.11-1-0MPP-BN.loads'],
      ['Resync_Trigger_1', '$UPGTMR gt 300 and $PRVTMR ge 600'],
      ['Report_Rule', '[--status]http://my_http_server/config-mpp-status.xml [--delta]http://my_http_server/config-mpp-delta.xml'],
      ['IPv6_Static_IP', '2001:db8::1'],
    ]) {
      expect(validateValue(name, value, cat)).toBeUndefined();
    }
  });

  it('never echoes the value of a secret', () => {
    const message = issue('User_Password', 'ab\u00e9') ?? '';
    expect(message).toBe('User_Password: non-ASCII character U+00E9 at offset 2');
    expect(issue('User_Password', 'x'.repeat(128))).toBe('User_Password: Str127 longer than 127 characters');
    const secretBool = new ParameterCatalogue({
      version: 1,
      description: '',
      instanceScheme: '',
      parameters: [{ name: 'S', webName: 'S', section: '', ua: 'na', type: { kind: 'bool' }, typeSource: 'inferred', source: 'test', secret: true }],
    });
    expect(validateValue('S', 'hunter2', secretBool)?.message).toBe('S: Bool "***" is not Yes/No or 1/0');
  });

  it('checks signed, float and power-level values', () => {
    const sig: ParamType = { kind: 'sig', bits: 8 };
    expect(checkValue(sig, '-128')).toBeUndefined();
    expect(checkValue(sig, '+12')).toBeUndefined();
    expect(checkValue(sig, '-129')).toBe('Sig8 -129 out of range -128..127');
    const pwr: ParamType = { kind: 'float', label: 'PwrLevel', decimals: 1 };
    expect(checkValue(pwr, '-13.5')).toBeUndefined();
    expect(checkValue(pwr, '-13.55')).toBe('PwrLevel "-13.55" has more than 1 decimal places');
    const time: ParamType = { kind: 'float', label: 'Time', decimals: 3 };
    expect(checkValue(time, '0.12345')).toBeUndefined();
    expect(checkValue(time, '-1')).toBe('Time3 "-1" is negative');
    expect(checkValue(time, 'x')).toBe('Time3 "x" is not a decimal number');
  });

  it('flags control characters but lets newlines through', () => {
    expect(checkCharacters('a\nb\tc')).toBeUndefined();
    expect(checkCharacters('a\u0001')).toBe('control character U+0001 at offset 1');
    expect(checkCharacters('\u{1F600}')).toBe('non-ASCII character U+1F600 at offset 0');
  });
});
