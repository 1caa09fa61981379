import { checkAliasMap, previewAlias, renderAliasDocument } from '../../../src/cisco/profile';

/** The document the ACS writes for an alias map (S21), read back as the phone reads it. */
function entriesOf(map: string) {
  const checked = checkAliasMap(map);
  if ('problem' in checked) throw new Error(checked.problem);
  return checked.entries;
}

describe('renderAliasDocument', () => {
  it("writes the guide's CPE/SIP-Credentials example so that the phone sets the three line parameters (003 L1214-1240)", () => {
    const entries = entriesOf('/CPE/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;/CPE/SIP-Credentials/number = /flat-profile/User_ID_1_ ;/CPE/SIP-Credentials/auth-secret = /flat-profile/Password_1_ ;');
    const values = new Map([
      ['Display_Name_1_', 'J. Smith'],
      ['User_ID_1_', '14085551234'],
      ['Password_1_', '732091751563sfd'],
    ]);
    const doc = renderAliasDocument(entries, values);
    expect(doc).toBe('<CPE>\n  <SIP-Credentials>\n    <name>J. Smith</name>\n    <number>14085551234</number>\n    <auth-secret>732091751563sfd</auth-secret>\n  </SIP-Credentials>\n</CPE>\n');
    expect(previewAlias(entries, doc).values.map((v) => [v.parameter, v.value])).toEqual([...values.entries()]);
  });

  it('wraps aliases of different roots in one element, which their path-end matching ignores (003 L1243-1250)', () => {
    const entries = entriesOf('/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;/auth-secret = /flat-profile/Password_1_ ;');
    const doc = renderAliasDocument(entries, new Map([['Display_Name_1_', 'J. Smith'], ['Password_1_', 's3cret']]));
    expect(doc).toBe('<profile>\n  <SIP-Credentials>\n    <name>J. Smith</name>\n  </SIP-Credentials>\n  <auth-secret>s3cret</auth-secret>\n</profile>\n');
    expect(previewAlias(entries, doc)).toEqual({
      values: [
        { parameter: 'Display_Name_1_', value: 'J. Smith', element: '/profile/SIP-Credentials/name' },
        { parameter: 'Password_1_', value: 's3cret', element: '/profile/auth-secret' },
      ],
      unmatched: [],
    });
  });

  it('escapes markup in values and leaves out parameters without a value', () => {
    const entries = entriesOf('/acct/plan = /flat-profile/Dial_Plan_1_ ;/acct/name = /flat-profile/Display_Name_1_ ;');
    const doc = renderAliasDocument(entries, new Map([['Dial_Plan_1_', '(S0 <:18005551212>) & more']]));
    expect(doc).toBe('<acct>\n  <plan>(S0 &lt;:18005551212&gt;) &amp; more</plan>\n</acct>\n');
    expect(previewAlias(entries, doc)).toEqual({ values: [{ parameter: 'Dial_Plan_1_', value: '(S0 <:18005551212>) & more', element: '/acct/plan' }], unmatched: ['/acct/name'] });
  });
});

describe('checkAliasMap refuses maps the phone could read two ways (003 L1251-1252)', () => {
  it.each([
    ['/name = /flat-profile/Display_Name_1_ ;/CPE/name = /flat-profile/User_ID_1_ ;', /^ambiguous: \/name \(Display_Name_1_\) also matches \/CPE\/name \(User_ID_1_\)/],
    ['/CPE/name = /flat-profile/User_ID_1_ ;/name = /flat-profile/Display_Name_1_ ;', /^ambiguous: \/name \(Display_Name_1_\) also matches \/CPE\/name/],
    ['/a/b = /flat-profile/User_ID_1_ ;/a/b = /flat-profile/Auth_ID_1_ ;', /^\/a\/b is mapped twice \(User_ID_1_, Auth_ID_1_\)/],
    ['/a/x&y = /flat-profile/User_ID_1_ ;', /"x&y" is not an XML element name/],
  ])('%s', (map, problem) => {
    expect(checkAliasMap(map)).toEqual({ problem: expect.stringMatching(problem) });
  });

  it('accepts paths that share only a start', () => {
    expect(checkAliasMap('/a/name = /flat-profile/User_ID_1_ ;/a/name2 = /flat-profile/Auth_ID_1_ ;/b/c = /flat-profile/Display_Name_1_ ;')).toHaveProperty('entries');
  });
});
