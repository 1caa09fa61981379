import {
  parseProfile,
  profileValues,
  ProfileParseError,
  ProfileRenderError,
  renderProfile,
  renderValues,
  validateProfile,
} from '../../../src/cisco/profile';

const values = (xml: string) => profileValues(parseProfile(xml));

describe('parseProfile', () => {
  it('trims whitespace around values (basic.txt, 001 L1908-1911)', () => {
    expect(values('<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>')).toEqual({ GPP_A: '12345678' });
    expect(values('<flat-profile><GPP_B>ABCD</GPP_B></flat-profile>')).toEqual({ GPP_B: 'ABCD' });
  });

  it('reads the open-profile example (001 L642-649)', () => {
    const xml = `<flat-profile>
<Resync_On_Reset> Yes </Resync_On_Reset>
<Resync_Periodic> 7200 </Resync_Periodic>
<Profile_Rule> tftp://prov.telco.com:6900/cisco/config/CP_xxxx_MPP.cfg</Profile_Rule>
</flat-profile>`;
    expect(values(xml)).toEqual({
      Resync_On_Reset: 'Yes',
      Resync_Periodic: '7200',
      Profile_Rule: 'tftp://prov.telco.com:6900/cisco/config/CP_xxxx_MPP.cfg',
    });
  });

  it('reads ua attributes and keeps self-closing apart from empty (001 L686-723, L744-749)', () => {
    const xml = `<flat-profile>
  <SIP_TOS_DiffServ_Value_1_ ua="na"/>
  <Dial_Plan_1_ ua="ro"/>
  <Dial_Plan_2_ ua="rw"/>
  <GPP_A>
  </GPP_A>
  <GPP_B ua="rw"></GPP_B>
</flat-profile>`;
    expect(parseProfile(xml).entries).toEqual([
      { name: 'SIP_TOS_DiffServ_Value_1_', value: '', ua: 'na', selfClosing: true },
      { name: 'Dial_Plan_1_', value: '', ua: 'ro', selfClosing: true },
      { name: 'Dial_Plan_2_', value: '', ua: 'rw', selfClosing: true },
      { name: 'GPP_A', value: '' },
      { name: 'GPP_B', value: '', ua: 'rw' },
    ]);
  });

  it('decodes escapes and numeric references (001 L795-813)', () => {
    expect(values('<flat-profile><Dial_Plan_1_>\n(S0 &lt;:18005551212&gt;)\n</Dial_Plan_1_></flat-profile>')).toEqual({
      Dial_Plan_1_: '(S0 <:18005551212>)',
    });
    expect(values('<flat-profile><GPP_A>&amp;&apos;&quot;&#65;&#x42;</GPP_A></flat-profile>')).toEqual({ GPP_A: `&'"AB` });
    expect(values('<flat-profile><GPP_A><![CDATA[a<b]]></GPP_A></flat-profile>')).toEqual({ GPP_A: 'a<b' });
  });

  it('lets the last duplicate win and reports it (001 L778)', () => {
    const p = parseProfile('<flat-profile><GPP_A>1</GPP_A><GPP_B>2</GPP_B><GPP_A>3</GPP_A></flat-profile>');
    expect(p.entries).toEqual([
      { name: 'GPP_B', value: '2' },
      { name: 'GPP_A', value: '3' },
    ]);
    expect(p.duplicates).toEqual(['GPP_A']);
  });

  it('ignores comments, the XML declaration and other attributes; joins lines into one value', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<device>
<flat-profile>
<!-- System Configuration -->
<Profile_Rule ua="na" note="ignored">gds://</Profile_Rule>
<!-- <BACKUP_ACS_Password ua="na"/> -->
<Log_Request_Msg>
$PN $MAC --
Requesting resync
</Log_Request_Msg>
</flat-profile>
</device>`;
    const p = parseProfile(xml);
    expect(p.wrappers).toEqual(['device']);
    expect(p.entries).toEqual([
      { name: 'Profile_Rule', value: 'gds://', ua: 'na' },
      { name: 'Log_Request_Msg', value: '$PN $MAC -- Requesting resync' },
    ]);
  });

  it('accepts a UTF-8 buffer with a BOM and refuses invalid UTF-8', () => {
    const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<flat-profile><GPP_A>x</GPP_A></flat-profile>')]);
    expect(profileValues(parseProfile(buf))).toEqual({ GPP_A: 'x' });
    expect(() => parseProfile(Buffer.from([0x3c, 0xff, 0x3e]))).toThrow(/not valid UTF-8/);
  });

  it('refuses DOCTYPE, entity definitions and unknown entities', () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<flat-profile><GPP_A>&lol2;</GPP_A></flat-profile>`;
    expect(() => parseProfile(bomb)).toThrow(ProfileParseError);
    expect(() => parseProfile(bomb)).toThrow(/DOCTYPE is not allowed/);
    expect(() => parseProfile('<flat-profile><GPP_A>&nbsp;</GPP_A></flat-profile>')).toThrow(/line 1, column \d+: Invalid character entity/);
  });

  it('enforces size, depth, count and value limits', () => {
    expect(() => parseProfile('<flat-profile/>'.padEnd(2000, ' '), { maxBytes: 1000 })).toThrow(/larger than 1000 bytes/);
    expect(() => parseProfile('<a><b><c><flat-profile/></c></b></a>', { maxDepth: 3 })).toThrow(/nested deeper than 3/);
    const many = `<flat-profile>${'<GPP_A>1</GPP_A>'.repeat(11)}</flat-profile>`;
    expect(() => parseProfile(many, { maxEntries: 10 })).toThrow(/more than 10 parameters/);
    expect(() => parseProfile(`<flat-profile><GPP_A>${'x'.repeat(101)}</GPP_A></flat-profile>`, { maxValueLength: 100 })).toThrow(
      /GPP_A: value longer than 100 characters/,
    );
  });

  it('names what is wrong in malformed documents', () => {
    expect(() => parseProfile('<device></device>')).toThrow('no <flat-profile> element');
    expect(() => parseProfile('<flat-profile><GPP_A ua="xx">1</GPP_A></flat-profile>')).toThrow(/GPP_A: ua="xx" is not na, ro or rw/);
    expect(() => parseProfile('<flat-profile><GPP_A><b/></GPP_A></flat-profile>')).toThrow(/GPP_A: unexpected element <b> inside a parameter/);
    expect(() => parseProfile('<flat-profile><GPP_A>1</GPP_B></flat-profile>')).toThrow(/line 1, column \d+: Unexpected close tag/);
    expect(() => parseProfile('<flat-profile><GPP_A>1</GPP_A>')).toThrow(ProfileParseError);
  });
});

describe('renderProfile', () => {
  it('escapes special characters, trims and keeps values on one line (S08)', () => {
    expect(renderValues({ Dial_Plan_1_: '(S0 <:18005551212>)', GPP_A: ' a & b\nc ' })).toBe(
      '<flat-profile>\n<Dial_Plan_1_>(S0 &lt;:18005551212&gt;)</Dial_Plan_1_>\n<GPP_A>a &amp; b c</GPP_A>\n</flat-profile>\n',
    );
  });

  it('writes ua, self-closing and empty elements distinctly (S09)', () => {
    expect(
      renderProfile([
        { name: 'Speed_Dial_2_Name', value: '', ua: 'rw', selfClosing: true },
        { name: 'GPP_A', value: '' },
        { name: 'Profile_Rule', value: 'gds://', ua: 'na' },
      ]),
    ).toBe('<flat-profile>\n<Speed_Dial_2_Name ua="rw"/>\n<GPP_A></GPP_A>\n<Profile_Rule ua="na">gds://</Profile_Rule>\n</flat-profile>\n');
  });

  it('wraps in <device> with the XML declaration', () => {
    expect(renderValues({ Upgrade_Enable: 'Yes' }, { device: true })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<device>\n<flat-profile>\n<Upgrade_Enable>Yes</Upgrade_Enable>\n</flat-profile>\n</device>\n',
    );
  });

  it('refuses non-ASCII values, bad names and values on self-closing elements', () => {
    expect(() => renderValues({ Display_Name_1_: 'Jos\u00e9' })).toThrow(ProfileRenderError);
    expect(() => renderValues({ Display_Name_1_: 'Jos\u00e9' })).toThrow('Display_Name_1_: non-ASCII character U+00E9 at offset 3; the phones accept ASCII only');
    expect(() => renderValues({ 'Bad Name': 'x' })).toThrow('"Bad Name" is not a valid parameter name');
    expect(() => renderValues({ '<x>': 'x' })).toThrow(ProfileRenderError);
    expect(() => renderProfile([{ name: 'GPP_A', value: 'x', selfClosing: true }])).toThrow(/cannot carry a value/);
  });

  it('produces ASCII output that parses back to the same entries', () => {
    const entries = [
      { name: 'GPP_A', value: `<>&"' all ASCII ~` },
      { name: 'GPP_B', value: '', ua: 'ro' as const, selfClosing: true as const },
    ];
    const xml = renderProfile(entries);
    expect(/^[\x20-\x7e\n]*$/.test(xml)).toBe(true);
    expect(parseProfile(xml).entries).toEqual(entries);
  });
});

describe('validateProfile', () => {
  it('lists every problem with the parameter and the rule', () => {
    const p = parseProfile(`<flat-profile>
<Proxy_1_>sip.example.com:5060</Proxy_1_>
<SIP_Port_1_>70000</SIP_Port_1_>
<Foo_Bar>1</Foo_Bar>
<Line_Enable_1_>maybe</Line_Enable_1_>
<User_Password>abc</User_Password>
</flat-profile>`);
    expect(validateProfile(p.entries)).toEqual([
      { name: 'SIP_Port_1_', code: 'type', message: 'SIP_Port_1_: Port 70000 out of range 1..65535' },
      { name: 'Foo_Bar', code: 'unknown-parameter', message: 'Foo_Bar: unknown parameter' },
      { name: 'Line_Enable_1_', code: 'type', message: 'Line_Enable_1_: Bool "maybe" is not Yes/No or 1/0' },
      { name: 'User_Password', code: 'type', message: 'User_Password: Str127 shorter than 4 characters' },
    ]);
    expect(validateProfile({ Proxy_1_: 'sip.example.com', GPP_A: 'x' })).toEqual([]);
  });
});
