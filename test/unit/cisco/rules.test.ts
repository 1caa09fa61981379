import { expandMacros, macroContext } from '../../../src/cisco/macros';
import {
  compareVersions,
  evaluateCondition,
  formatCondition,
  formatReportRule,
  formatRule,
  parseAliasMap,
  parseCondition,
  parseProfileRule,
  parseReportRule,
  parseTrigger,
  parseUpgradeRule,
  parseVersion,
  selectAlternative,
  RuleEvaluationError,
  RuleSyntaxError,
} from '../../../src/cisco/rules';

function syntaxError(fn: () => unknown): RuleSyntaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RuleSyntaxError) return err;
    throw err;
  }
  throw new Error('no RuleSyntaxError');
}

describe('rule URLs (001 L1008-1015; 003 L1149-1156)', () => {
  it.each([
    ['/$MA.cfg', { scheme: 'tftp', explicitScheme: false, path: '/$MA.cfg' }],
    ['/cisco/cfg.xml', { scheme: 'tftp', path: '/cisco/cfg.xml' }],
    ['192.168.1.130/profiles/init.cfg', { scheme: 'tftp', server: '192.168.1.130', path: '/profiles/init.cfg' }],
    ['tftp://prov.call.com/cpe/cisco$MA.cfg', { scheme: 'tftp', explicitScheme: true, server: 'prov.call.com' }],
    ['http://neptune.speak.net:8080/prov/$D/$E.cfg', { scheme: 'http', server: 'neptune.speak.net', port: 8080, path: '/prov/$D/$E.cfg' }],
    ['https://secure.me.com/profile?Linksys', { scheme: 'https', server: 'secure.me.com', path: '/profile?Linksys' }],
    ['tftp://prov.telco.com:6900/cisco/config/CP_xxxx_MPP.cfg', { port: 6900 }],
    ['tftp.callme.com/profile/$MA/spa962.cfg', { scheme: 'tftp', server: 'tftp.callme.com' }],
    ['gds://', { scheme: 'gds', path: '' }],
  ])('%s', (text, expected) => {
    const rule = parseProfileRule(text);
    expect(rule.alternatives).toHaveLength(1);
    expect(rule.alternatives[0].url).toMatchObject({ text, ...expected });
  });

  it('rejects bad URLs with the position', () => {
    expect(syntaxError(() => parseProfileRule('ftp://host/x')).message).toBe('at character 1: expected scheme tftp, http or https, found "ftp"');
    expect(syntaxError(() => parseProfileRule('http://host')).message).toBe('at character 12: expected an absolute file path starting with "/"');
    expect(syntaxError(() => parseProfileRule('http://host:99999/x')).message).toBe('at character 13: expected a port 1..65535 after ":", found "99999"');
  });
});

describe('Profile_Rule (001 L1272-1312; 003 L1404-1434)', () => {
  it('parses a plain URL', () => {
    expect(parseProfileRule('http://remote.server.com/cisco/$MA.cfg').alternatives[0]).toMatchObject({
      url: { scheme: 'http', server: 'remote.server.com', path: '/cisco/$MA.cfg' },
    });
  });

  it('parses conditional alternatives and --post', () => {
    const rule = parseProfileRule('($PRVTMR ge 600)? http://p.tel.com/has-reg.cfg\n| [--post a] http://p.tel.com/lost-reg?');
    expect(rule.alternatives).toHaveLength(2);
    expect(rule.alternatives[0].condition?.comparisons).toEqual([
      { left: { kind: 'macro', text: '$PRVTMR' }, op: 'ge', right: { kind: 'number', text: '600' }, position: 1 },
    ]);
    expect(rule.alternatives[1]).toMatchObject({ options: { post: 'a' }, url: { path: '/lost-reg?' } });
    expect(parseProfileRule('($REGTMR1 eq 0)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?').alternatives).toHaveLength(2);
  });

  it('parses string conditions', () => {
    const rule = parseProfileRule('("$CCERT" eq "Installed")? https://p.tel.com/config? | https://p.tel.com/config?cisco$MAU');
    expect(rule.alternatives[0].condition?.comparisons[0]).toMatchObject({ left: { kind: 'string', text: '$CCERT' }, op: 'eq' });
    expect(rule.alternatives[1].url?.path).toBe('/config?cisco$MAU');
  });

  it('parses assignments before the URL', () => {
    const rule = parseProfileRule('("$A" ne "Provisioned")? (Line_Enable_1_ = "No";)! https://p.tel.com/init-prov | https://p.tel.com/configs');
    expect(rule.alternatives[0]).toMatchObject({
      condition: { comparisons: [{ left: { kind: 'string', text: '$A' }, op: 'ne', right: { kind: 'string', text: 'Provisioned' } }] },
      assignments: [{ name: 'Line_Enable_1_', value: 'No' }],
      url: { path: '/init-prov' },
    });
  });

  it('parses the assignment list with GPP letters (003 L1121-1127)', () => {
    const rule = parseProfileRule('( User_ID_1_ = "uid$B" ; c = "" ; d = "$MA" ; )!');
    expect(rule.alternatives[0].assignments?.map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'User_ID_1_', value: 'uid$B' },
      { name: 'GPP_C', value: '' },
      { name: 'GPP_D', value: '$MA' },
    ]);
    expect(rule.alternatives[0].url).toBeUndefined();
  });

  it('parses every option form (001 L1042-1070; 003 L1172-1266)', () => {
    const opts = (text: string) => parseProfileRule(`${text} http://a.example/x`).alternatives[0].options;
    expect(opts('[--alias b]')).toEqual({ alias: 'b' });
    expect(opts('[--key VerySecretValue]')).toEqual({ key: 'VerySecretValue' });
    expect(opts('[--key "my secret phrase"]')).toEqual({ key: 'my secret phrase' });
    expect(opts('[--key a37d2fb9055c1d04883a0745eb0917a4]')).toEqual({ key: 'a37d2fb9055c1d04883a0745eb0917a4' });
    expect(opts('[--key $SC]')).toEqual({ key: '$SC' });
    expect(opts('[--key "$SD"]')).toEqual({ key: '$SD' });
    expect(opts('[--key MyOwnSecret ]')).toEqual({ key: 'MyOwnSecret' });
    expect(opts('[--post j --alias k]')).toEqual({ post: 'j', alias: 'k' });
    expect(opts('[--key "SymmetricSecret" --alias a]')).toEqual({ key: 'SymmetricSecret', alias: 'a' });
    expect(opts('[--key "$SB" --post g]')).toEqual({ key: '$SB', post: 'g' });
    expect(opts('[--alias a --key abracadabra321 --post c]')).toEqual({ alias: 'a', key: 'abracadabra321', post: 'c' });
    expect(opts('[--post f ]')).toEqual({ post: 'f' });
  });

  it('expands --uid/--pwd with the secret GPPs (001 L1062-1070)', () => {
    const rule = parseProfileRule('[--uid $SA --pwd $SB] https://provisioning_server_url/path_to_your_config/your_config.xml');
    const ctx = macroContext({ secretGpp: { SA: 'MyUserID', SB: 'MySecretPassword' } });
    const o = rule.alternatives[0].options ?? {};
    expect([expandMacros(o.uid ?? '', ctx, { credentials: true }), expandMacros(o.pwd ?? '', ctx, { credentials: true })]).toEqual([
      'MyUserID',
      'MySecretPassword',
    ]);
  });

  it('parses the other Profile_Rule values printed in the guides', () => {
    for (const text of [
      'tftp://192.168.1.200/CP-6841-3PCC$MA.cfg',
      'tftp://prov.telco.com:6900/cisco/config/$PN.cfg',
      'tftp://prov.telco.com/cisco/$B/$MA.cfg',
      'http://192.168.1.200/basic.txt',
      'https://my.server.com/basic.txt',
      'https://prov.server.com/cgi-bin/reflect.pl?',
      'tftp://192.168.1.200/basic.txt.gz',
      '[--key MyOwnSecret ] tftp://192.168.1.200/basic.cfg',
      '[--key "SecretPhrase1234"] http://prov.telco.com/path/profile.cfg',
      '[--key $A] tftp.callme.com/profile/$B/spa962.cfg',
      '/$PSN-a.xml',
      '/$PSN.xml',
      'http://prov.domain.com/sipura/profile?id=$MA',
      '[--alias a ] tftp://192.168.1.200/customer.xml',
      '[--alias m ] http://acct.voipservice.net/credentials/spa$MA.xml',
      '[--post f ] http://ps.one.com/cpe/resyncs?',
    ]) {
      expect(parseProfileRule(text).alternatives).toHaveLength(1);
    }
  });

  it('selects the alternative the phone takes (001 L1269-1281)', () => {
    const rule = parseProfileRule('("$A" ne "Provisioned")? (Line_Enable_1_ = "No";)! https://p.tel.com/init-prov | https://p.tel.com/configs');
    expect(selectAlternative(rule, macroContext({}))?.url?.path).toBe('/init-prov');
    expect(selectAlternative(rule, macroContext({ gpp: { A: 'Provisioned' } }))?.url?.path).toBe('/configs');
    const gated = parseProfileRule('($PRVTMR ge 600)? http://p.tel.com/has-reg.cfg');
    expect(selectAlternative(gated, macroContext({ variables: { PRVTMR: '10' } }))).toBeUndefined();
    expect(selectAlternative(parseProfileRule(''), macroContext({}))).toBeUndefined();
  });

  it('treats empty and #-commented rules as skipped (003 L999-1003)', () => {
    expect(parseProfileRule('   ')).toEqual({ kind: 'profile', alternatives: [] });
    expect(parseProfileRule('# http://192.168.1.200/sample.cfg')).toEqual({ kind: 'profile', alternatives: [], commentedOut: true });
  });

  it('reports malformed rules with position and expectation (S14)', () => {
    expect(syntaxError(() => parseProfileRule('http://a.example/x | http://b.example/y')).message).toBe(
      'at character 1: expected a (condition)? on every alternative but the last',
    );
    expect(syntaxError(() => parseProfileRule('($PRVTMR ge 600 http://a.example/x')).message).toBe(
      'at character 35: expected ")" to close "(" at character 1',
    );
    expect(syntaxError(() => parseProfileRule('($PRVTMR ge 600) http://a.example/x')).message).toBe(
      'at character 18: expected "?" after a condition or "!" after assignments, found "h"',
    );
    expect(syntaxError(() => parseProfileRule('("$A" lt "x")? http://a.example/x')).message).toBe(
      'at character 7: operator lt compares integers and versions, not quoted strings',
    );
    expect(syntaxError(() => parseProfileRule('[--cipher x] http://a.example/x')).message).toBe(
      'at character 2: expected one of --key --uid --pwd --post --alias, found "--cipher"',
    );
    expect(syntaxError(() => parseProfileRule('[--uid MyUserID --pwdMySecretPassword] https://a.example/x')).message).toMatch(
      /found "--pwdMySecretPassword"/,
    );
    expect(syntaxError(() => parseProfileRule('[--post z] http://a.example/x')).message).toBe(
      'at character 9: expected a GPP letter a..p after --post, found "z"',
    );
    expect(syntaxError(() => parseProfileRule('[--key] http://a.example/x')).message).toBe('at character 7: expected a value after --key');
    expect(syntaxError(() => parseProfileRule('[--key a --key b] http://a.example/x')).message).toBe('at character 10: --key given twice');
    expect(syntaxError(() => parseProfileRule('[--key a]')).message).toBe('at character 10: expected a URL after the options');
    expect(syntaxError(() => parseProfileRule('(User_ID_1_ = uid;)!')).message).toMatch(/^at character 15: expected a double-quoted value for User_ID_1_/);
    expect(syntaxError(() => parseProfileRule('($PRVTMR ge 600)? http://a.example/x |')).message).toBe(
      'at character 39: expected a condition, assignments or a URL',
    );
    expect(syntaxError(() => parseProfileRule('($PRVTMR ge 11.0.0)? http://a.example/x')).message).toMatch(
      /^at character 13: expected an integer, a quoted string, a \$MACRO or a firmware version like sip68xx.11-0-1MPP, found "11.0.0"/,
    );
    expect(syntaxError(() => parseProfileRule('("$A" eq "x)? http://a.example/x')).message).toMatch(/expected a closing " for the string/);
  });

  it('formats rules with letter operators, safe for XML', () => {
    const rule = parseProfileRule('($PRVTMR >= 600 and "$EXTIP" != "")? [--post a] http://p.tel.com/x | http://p.tel.com/y');
    expect(formatRule(rule)).toBe('($PRVTMR ge 600 and "$EXTIP" ne "")? [--post a] http://p.tel.com/x | http://p.tel.com/y');
    expect(formatRule(parseProfileRule(formatRule(rule)))).toBe(formatRule(rule));
  });
});

describe('Upgrade_Rule (001 L1316-1352; 000 L817-835)', () => {
  it.each([
    'http://p.tel.com/firmware/sip68xx.11-1-0MPP-BN.loads',
    '("$F" ne "beta-customer")? http://p.tel.com/firmware/sip68xx.11-0-1MPP-BN.loads | http://p.tel.com/firmware/sip68xx.11-0-1MPP-BN.loads',
    'tftp://192.168.1.5/image/sip68xx.11-0-1MPP-EN.loads',
    'tftp://192.168.1.5/image/sip88xx.11-2-3MSR1-1.loads',
    '($SWVER ne sip68xx.11-0-0MPP)? http://ps.tell.com/sw/sip68xx.11-0-0MPP-BN.loads',
    '($SWVER lt sip68xx.11-1-0MPP-BN)? http://srv/sip68xx.11-1-0MPP-BN.loads | http://srv/sip68xx.11-2-1MPP-BN.loads',
  ])('%s', (text) => {
    expect(parseUpgradeRule(text).alternatives.length).toBeGreaterThan(0);
  });

  it('parses the legacy examples in the legacy dialect', () => {
    expect(parseUpgradeRule('( $SWVER ne 2.0.6 )? http://ps.tell.com/sw/spa021024.bin', { dialect: 'legacy' }).alternatives).toHaveLength(1);
    expect(() => parseUpgradeRule('( $SWVER ne 2.0.6 )? http://ps.tell.com/sw/spa021024.bin')).toThrow(RuleSyntaxError);
  });

  it('refuses URL options and server-less URLs', () => {
    expect(syntaxError(() => parseUpgradeRule('[--key x] http://a.example/x.loads')).message).toBe('at character 2: expected no URL options here');
    expect(syntaxError(() => parseUpgradeRule('/sip68xx.11-0-1MPP-BN.loads')).message).toBe(
      'at character 1: expected a server: upgrade rules cannot use the DHCP option 66 server',
    );
  });
});

describe('Report_Rule (004 L97-160)', () => {
  it('parses every example', () => {
    expect(parseReportRule('http://my_http_server/config-mpp.xml')).toMatchObject([{ options: {}, url: { server: 'my_http_server' } }]);
    expect(parseReportRule('[--delta]http://my_http_server/config-mpp-delta.xml;')).toMatchObject([
      { options: { delta: true }, url: { text: 'http://my_http_server/config-mpp-delta.xml' } },
    ]);
    expect(parseReportRule('[--delta --key test123]http://my_http_server/config-mpp-delta.enc.xml;')).toMatchObject([
      { options: { delta: true, key: 'test123' } },
    ]);
    expect(parseReportRule('[--status]http://my_http_server/config-mpp-status.xml;')).toMatchObject([{ options: { status: true } }]);
    const two = parseReportRule('[--status]http://my_http_server/config-mpp-status.xml [--delta]http://my_http_server/config-mpp-delta.xml');
    expect(two.map((t) => t.options)).toEqual([{ status: true }, { delta: true }]);
    expect(formatReportRule(two)).toBe('[--status]http://my_http_server/config-mpp-status.xml [--delta]http://my_http_server/config-mpp-delta.xml');
    expect(parseReportRule('[--delta]http://my_http_server/report_upload.php')).toHaveLength(1);
    expect(parseReportRule('[ --key secretphrase ] http://prov.serv.net/spa/$MA/rep.xml.enc')[0].options).toEqual({ key: 'secretphrase' });
    expect(parseReportRule('[--key $K] tftp://ps.callhome.net/$MA/rep.xml.enc')[0].url.scheme).toBe('tftp');
    expect(parseReportRule('')).toEqual([]);
  });

  it('refuses a third target, profile-only options and --delta with --status', () => {
    expect(syntaxError(() => parseReportRule('http://a/x http://a/y http://a/z')).message).toBe('at character 23: expected at most two report rules');
    expect(syntaxError(() => parseReportRule('[--post a]http://a/x')).message).toMatch(/expected one of --key --uid --pwd --delta --status/);
    expect(syntaxError(() => parseReportRule('[--delta --status]http://a/x')).message).toBe(
      'at character 1: --delta and --status cannot be combined in one report rule',
    );
  });
});

describe('conditions and triggers (001 L923-976; 003 L1049-1104)', () => {
  it('parses the guides’ conditions', () => {
    expect(parseTrigger('$UPGTMR gt 300 and $PRVTMR ge 600')?.comparisons).toHaveLength(2);
    expect(parseTrigger('$REGTMR1 gt 300 and $PRVTMR ge 600')?.comparisons).toHaveLength(2);
    expect(parseTrigger('$REGTMR1 gt 300 and $PRVTMR gt 1200 and "$EXTIP" ne ""')?.comparisons).toHaveLength(3);
    expect(parseTrigger('$SWVER ge 2.0.6 and "$CCERT" eq "Installed"', { dialect: 'legacy' })?.comparisons).toHaveLength(2);
    expect(parseTrigger('')).toBeUndefined();
  });

  it('reads the legacy implicit $SWVER and lone "!" (003 L1085-1096)', () => {
    const c = parseCondition('! 1.0.33', 'legacy');
    expect(c.comparisons[0]).toMatchObject({ left: { text: '$SWVER', implicit: true }, op: 'ne', right: { kind: 'version', text: '1.0.33' } });
    expect(formatCondition(c)).toBe('ne 1.0.33');
    expect(() => parseCondition('! 1.0.33')).toThrow(RuleSyntaxError);
    for (const v of ['1.0.31(b)', '1.0.33', '2.0.3(G)', '2.0.3(0412s)', '2.0.6']) {
      expect(parseCondition(`$SWVER eq ${v}`, 'legacy').comparisons[0].right).toEqual({ kind: 'version', text: v });
    }
  });

  it('refuses the (...)? wrapper in a trigger and "or"', () => {
    expect(syntaxError(() => parseTrigger('($PRVTMR ge 600)?')).message).toMatch(/Resync_Trigger takes no \(\.\.\.\)\? wrapper/);
    expect(syntaxError(() => parseTrigger('$PRVTMR ge 600 or $UPGTMR ge 1')).message).toBe('at character 16: expected "and" between comparisons');
    expect(syntaxError(() => parseTrigger('$PRVTMR ge')).message).toBe('at character 11: expected an operand after "ge"');
  });

  it('evaluates conditions with the device macros', () => {
    const ctx = macroContext({
      softwareVersion: 'sip68xx.11-0-1MPP',
      clientCertificate: true,
      externalIp: '66.43.16.52',
      variables: { UPGTMR: '400', PRVTMR: '600', REGTMR1: '0' },
    });
    const check = (text: string) => evaluateCondition(parseCondition(text), ctx);
    expect(check('$UPGTMR gt 300 and $PRVTMR ge 600')).toBe(true);
    expect(check('$UPGTMR gt 300 and $PRVTMR gt 600')).toBe(false);
    expect(check('"$CCERT" eq "Installed"')).toBe(true);
    expect(check('"$EXTIP" ne ""')).toBe(true);
    expect(check('$SWVER ne sip68xx.11-0-0MPP')).toBe(true);
    expect(check('$SWVER lt sip68xx.11-1-0MPP-BN')).toBe(true);
    expect(check('$REGTMR1 = 0')).toBe(true);
    expect(() => check('$REGTMR2 gt 0')).toThrow(RuleEvaluationError);
  });
});

describe('firmware versions (001 L935-956)', () => {
  it('compares MPP load names part by part', () => {
    expect(compareVersions('sip68xx.11-0-0MPP-BN', 'sip68xx.11-0-1MPP-BN')).toBe(-1);
    expect(compareVersions('sip68xx.11-1-0MPP-BN', 'sip68xx.11-0-1MPP-BN')).toBe(1);
    expect(compareVersions('sip68xx.11-0-1MPP', 'sip68xx.11-0-1MPP')).toBe(0);
    expect(compareVersions('sip68xx.11-0-1MPP', 'sip68xx.11-0-1MPP-123')).toBe(-1);
    expect(compareVersions('sip88xx.12-0-1MPP-123', 'sip88xx.12-0-1MPP-99')).toBe(1);
    expect(compareVersions('sip88xx.11-2-3MSR1-1', 'sip88xx.11-2-3MPP-1')).toBe(1);
    expect(compareVersions('sip88xx.11-10-0MPP', 'sip88xx.11-9-0MPP')).toBe(1);
    expect(compareVersions('sip68xx.11-0-1MPP-BN', 'sip68xx.11-0-1MPP-EN')).toBe(-1);
  });

  it('compares legacy versions', () => {
    expect(compareVersions('2.0.6', '2.0.11')).toBe(-1);
    expect(compareVersions('1.0.31(b)', '1.0.31')).toBe(1);
    expect(compareVersions('2.0.3(G)', '2.0.3(0412s)')).toBe(1);
  });

  it('refuses strings of another format', () => {
    expect(parseVersion('11.0.0')).toBeUndefined();
    expect(parseVersion('sip68xx.11-0-1MPP')).toMatchObject({ series: 'sip68xx', parts: ['11', '0', '1MPP'] });
    expect(() => compareVersions('11.0.0', 'sip68xx.11-0-1MPP')).toThrow('"11.0.0" and "sip68xx.11-0-1MPP" are versions of different formats');
    expect(() => compareVersions('sip68xx.11-0-1MPP', 'sip88xx.11-0-1MPP')).toThrow(/different formats/);
    expect(() => compareVersions('banana', '2.0.6')).toThrow('"banana" is not a firmware version like sip68xx.11-0-1MPP');
  });
});

describe('alias maps (003 L1210-1255)', () => {
  it('parses the guides’ maps', () => {
    expect(
      parseAliasMap('/customer-account/SIP-number = /flat-profile/User_ID_1_ ;/customer-account/SIP-password = /flat-profile/Password_1_ ;'),
    ).toEqual([
      { path: ['customer-account', 'SIP-number'], parameter: 'User_ID_1_' },
      { path: ['customer-account', 'SIP-password'], parameter: 'Password_1_' },
    ]);
    expect(parseAliasMap('/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;\n/auth-secret = /flat-profile/Password_1_ ;')).toHaveLength(2);
  });

  it('refuses malformed entries and more than 30', () => {
    expect(() => parseAliasMap('/a/b = User_ID_1_ ;')).toThrow('at character 1: expected /path/to/element = /flat-profile/Parameter_Name');
    const many = Array.from({ length: 31 }, (_, i) => `/x${i} = /flat-profile/GPP_A`).join(';');
    expect(() => parseAliasMap(many)).toThrow(/expected at most 30 aliases/);
  });
});
