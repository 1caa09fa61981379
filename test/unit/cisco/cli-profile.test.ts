import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { runCli as acs } from '../../support/cli';

const fixture = (name: string) => path.join(__dirname, '..', '..', 'fixtures', 'cisco', name);
const VP = 'Device.Services.VoiceService.1.VoiceProfile';


describe('acs profile validate', () => {
  it('exits 0 for a valid profile', async () => {
    const r = await acs('profile', 'validate', fixture('profile-valid.xml'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${fixture('profile-valid.xml')}: 11 parameters valid\n`);
  });

  it('lists every error and exits 1', async () => {
    const r = await acs('profile', 'validate', fixture('profile-invalid.xml'));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'SIP_Port_1_: Port 70000 out of range 1..65535',
      'Foo_Bar: unknown parameter',
      'Upgrade_Rule: ProvisioningRuleSyntax: at character 2: expected no URL options here',
    ]);
    expect(r.stderr).toContain('warning: GPP_A appears more than once; the last one wins');
    expect(r.stderr).toContain('profile-invalid.xml: 3 invalid parameters');
  });

  it('takes the legacy rule dialect for a Small Business product class only (003 L1085-1096; 001 L935-946)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'acs-dialect-')), 'legacy.xml');
    writeFileSync(file, '<flat-profile><Upgrade_Rule>( ! 1.0.33 )? http://ps.tell.com/sw/spa021024.bin</Upgrade_Rule></flat-profile>');
    expect(await acs('profile', 'validate', '--product-class', 'SPA962', file)).toMatchObject({ code: 0, stdout: `${file}: 1 parameters valid\n` });
    const mpp = await acs('profile', 'validate', file);
    expect(mpp.code).toBe(1);
    expect(mpp.stdout).toMatch(/^Upgrade_Rule: /);
  });

  it('converts web-page labels and legacy names of a JSON list to XML names and shows them (S07: 001 L675-681; 003 L731)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'acs-labels-')), 'labels.json');
    writeFileSync(file, JSON.stringify([{ name: 'Resync On Reset', value: 'Yes' }, { name: 'Resync At (HHmm)', value: '0959' }, { name: 'SIP_TOS/DiffServ_Value[1]', value: '0x68' }]));
    const r = await acs('profile', 'validate', file);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'Resync On Reset: XML name Resync_On_Reset',
      'Resync At (HHmm): XML name Resync_At__HHmm_',
      'SIP_TOS/DiffServ_Value[1]: XML name SIP_TOS_DiffServ_Value_1_',
      `${file}: 3 parameters valid`,
    ]);
    // Converted, then checked as the XML parameter: 2500 is no HHmm time.
    writeFileSync(file, JSON.stringify([{ name: 'Resync At (HHmm)', value: '2500' }]));
    const bad = await acs('profile', 'validate', '--json', file);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, renamed: [{ given: 'Resync At (HHmm)', name: 'Resync_At__HHmm_' }], issues: [{ name: 'Resync_At__HHmm_', code: 'type' }] });
  });

  it('prints JSON with --json', async () => {
    const r = await acs('profile', 'validate', '--json', fixture('profile-invalid.xml'));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ valid: false, duplicates: ['GPP_A'] });
    expect(report.issues.map((i: { name: string; code: string }) => [i.name, i.code])).toEqual([
      ['SIP_Port_1_', 'type'],
      ['Foo_Bar', 'unknown-parameter'],
      ['Upgrade_Rule', 'type'],
    ]);
  });

  it('names the position of malformed XML and refuses missing files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'acs-profile-'));
    const bad = path.join(dir, 'bad.xml');
    writeFileSync(bad, '<flat-profile>\n<GPP_A>1</GPP_B>\n</flat-profile>');
    const r = await acs('profile', 'validate', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.xml: line 2, column \d+: Unexpected close tag/);
    const missing = await acs('profile', 'validate', path.join(dir, 'none.xml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/acs: cannot read .*none\.xml/);
  });
});

describe('acs profile convert', () => {
  it('turns an XML profile into a SetParameterValues list and lists the unmapped parameters', async () => {
    const r = await acs('profile', 'convert', fixture('profile-valid.xml'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: `${VP}.1.Line.1.Enable`, value: 'Enabled', type: 'xsd:string' },
      { name: `${VP}.1.Line.1.SIP.URI`, value: '4085551000', type: 'xsd:string' },
      { name: `${VP}.1.Line.1.SIP.AuthUserName`, value: 'auth1000', type: 'xsd:string' },
      { name: `${VP}.1.SIP.ProxyServer`, value: 'sip.example.net', type: 'xsd:string' },
      { name: `${VP}.1.SIP.ProxyServerPort`, value: 5062, type: 'xsd:unsignedInt' },
      { name: `${VP}.1.SIP.UserAgentPort`, value: 5060, type: 'xsd:unsignedInt' },
      { name: 'Device.ManagementServer.PeriodicInformEnable', value: true, type: 'xsd:boolean' },
    ]);
    expect(r.stderr).toBe(
      'no TR-069 path (deliver in a configuration file): SIP_Transport_1_, Dial_Plan_1_, Profile_Rule, Resync_Periodic, Speed_Dial_2_Name\n',
    );
  });

  it('applies the product class overrides and prints JSON', async () => {
    const r = await acs('profile', 'convert', '--json', '--product-class', 'CP-8851-3PCC', '--overrides', fixture('overrides.json'), fixture('profile-valid.xml'));
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.productClass).toBe('CP-8851-3PCC');
    expect(result.parameterList).toContainEqual({ name: `${VP}.1.DigitMap`, value: '(*xx|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0)', type: 'xsd:string' });
    expect(result.parameterList).toContainEqual({ name: 'Device.X_CISCO_Provisioning.ProfileRule', value: '[--key $SA] https://prov.example.net/cfg/$MA.xml', type: 'xsd:string' });
    expect(result.unmapped).toEqual(['Auth_ID_1_', 'SIP_Transport_1_', 'Resync_Periodic', 'Speed_Dial_2_Name']);
  });

  it('turns a SetParameterValues list back into an XML profile', async () => {
    const r = await acs('profile', 'convert', fixture('spv.json'));
    expect(r.code).toBe(0);
    expect(profileValues(parseProfile(r.stdout))).toEqual({
      User_ID_2_: '4085552000',
      Periodic_Inform_Enable: 'Yes',
      Proxy_2_: 'sip.example.net:5070',
    });
    expect(r.stderr).toBe('no Cisco XML parameter for: Device.DeviceInfo.SoftwareVersion\n');
  });

  it('refuses an invalid profile, bad JSON and a bad --to', async () => {
    expect((await acs('profile', 'convert', fixture('profile-invalid.xml'))).code).toBe(1);
    const dir = mkdtempSync(path.join(tmpdir(), 'acs-profile-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '[{"name": 1}]');
    const r = await acs('profile', 'convert', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/item 0 needs a string "name"/);
    const to = await acs('profile', 'convert', '--to', 'yaml', fixture('spv.json'));
    expect(to.code).toBe(2);
    expect(to.stderr).toContain('--to must be tr069 or xml, not "yaml"');
  });
});

describe('acs profile activation (S25: 001 L477-508, L567-597)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acs-activation-'));
  const passwordFile = (text: string) => {
    const file = path.join(dir, `pw-${text.length}`);
    writeFileSync(file, `${text}\n`);
    return file;
  };

  it("prints the guide's activation profile", async () => {
    const r = await acs('profile', 'activation', '--product-class', 'CP-8851-3PCC', '--upgrade-rule', 'http://10.0.0.5/sip88xx.11-2-3MSR1-1.loads', '--user-password-file', passwordFile('Abc123'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<device>',
        '<flat-profile>',
        '<Profile_Rule ua="na">gds://</Profile_Rule>',
        '<Upgrade_Enable ua="na">yes</Upgrade_Enable>',
        '<Upgrade_Error_Retry_Delay ua="na">3600</Upgrade_Error_Retry_Delay>',
        '<Upgrade_Rule ua="na">http://10.0.0.5/sip88xx.11-2-3MSR1-1.loads</Upgrade_Rule>',
        '<User_Password ua="rw">Abc123</User_Password>',
        '</flat-profile>',
        '</device>',
        '',
      ].join('\n'),
    );
  });

  it('refuses the CP-6861, which has no activation code (001 L482)', async () => {
    const r = await acs('profile', 'activation', '--product-class', 'CP-6861-3PCC');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/CP-6861-3PCC does not support activation-code onboarding/);
    expect((await acs('profile', 'activation', '--product-class', 'CP-6871-3PCC')).code).toBe(0);
  });

  it('holds User_Password to 4..127 characters, or none (001 L590-592)', async () => {
    for (const ok of ['', 'Abcd', 'x'.repeat(127)]) expect((await acs('profile', 'activation', '--product-class', 'CP-8851-3PCC', '--user-password-file', passwordFile(ok))).code).toBe(0);
    for (const bad of ['Abc', 'x'.repeat(128)]) {
      const r = await acs('profile', 'activation', '--product-class', 'CP-8851-3PCC', '--user-password-file', passwordFile(bad));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/User_Password: Str127 (shorter than 4|longer than 127) characters/);
      expect(r.stderr).not.toContain(bad);
    }
  });
});
