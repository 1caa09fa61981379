import { startTestAcs, type TestAcs } from '../../support/acs';
import { registerDevice } from '../../support/devices';
import { apiClient, enc, type ApiClient } from '../../support/api';

/**
 * What the guides' acceptance scenarios (cisco-seeds-digest §12) ask of profiles, through the
 * operator API on the real stores. Firmware versions as the guides write them (S03, S14, S23):
 * - MPP: `sip68xx.v1-v2-v3MPP-BN`; "By contrast: 11.0.0 is an invalid format." (001 L935-946)
 * - Small Business: `1.0.31(b)`, `1.0.33`, `2.0.6` (003 L1063-1070), `!` for `!=` and a missing
 *   left operand standing for `$SWVER`: `! 1.0.33` (003 L1085-1096)
 * - `Downgrade_Rev_Limit`: the phone rejects upgrades to earlier versions (001 L1352), so an
 *   `Upgrade_Rule` aiming below it is refused, with the reason.
 * Web-page labels and legacy names (S07), alias maps (S21).
 */
let acs: TestAcs;
let api: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['api'] });
  api = apiClient(acs, await acs.token('operator'));
  admin = apiClient(acs, await acs.token('admin'));
});
afterAll(async () => {
  await acs?.close();
});

function profile(name: string, productClasses: string[], parameters: Record<string, string>) {
  return { name, precedence: 10, match: { productClasses }, parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })) };
}

describe('the legacy dialect, for Small Business devices only (003 L1063-1101)', () => {
  // 003 L1101 and L1096: the guide's own rules.
  const legacy = { Upgrade_Rule: '( $SWVER ne 2.0.6 )? http://ps.tell.com/sw/spa021024.bin', Profile_Rule: '( ! 1.0.33 )? http://ps.tell.com/cfg/$MA.cfg' };

  it('are understood in a profile for SPA devices', async () => {
    const res = await api.post('/profiles', profile('spa-legacy', ['SPA962', 'SPA942'], legacy));
    expect(res.status).toBe(201);
    expect((await api.get('/profiles/spa-legacy')).body.parameters).toEqual(expect.arrayContaining([{ name: 'Upgrade_Rule', value: legacy.Upgrade_Rule }]));
  });

  it('are refused in a profile for MPP phones, naming the literal', async () => {
    const res = await api.post('/profiles', profile('mpp-legacy', ['CP-6841-3PCC'], legacy));
    expect(res.status).toBe(422);
    const messages = res.body.errors.map((e: { message: string }) => e.message).join('\n');
    expect(messages).toMatch(/Upgrade_Rule: .*firmware version like sip68xx.11-0-1MPP, found "2.0.6"/);
    expect(messages).toMatch(/Profile_Rule: /);
    expect((await api.get('/profiles/mpp-legacy')).status).toBe(404);
  });
});

describe('11.0.0 is no MPP version (001 L935-946)', () => {
  it('refused in a rule condition and as a downgrade limit for MPP phones', async () => {
    const res = await api.post('/profiles', profile('mpp-eleven', ['CP-6841-3PCC'], { Upgrade_Rule: '($SWVER lt 11.0.0)? http://p.tel.com/firmware/sip68xx.11-0-1MPP-BN.loads', Downgrade_Rev_Limit: '11.0.0' }));
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field?: string; name?: string }) => e.field ?? e.name)).toEqual(['Upgrade_Rule', 'Downgrade_Rev_Limit']);
    expect(JSON.stringify(res.body.errors)).toMatch(/Downgrade_Rev_Limit: \\"11.0.0\\" is not a firmware version like sip68xx.11-0-1MPP/);
  });

  it('refused as a firmware policy target for an MPP product class, accepted in the legacy form for an SPA one', async () => {
    const mpp = await admin.put('/firmware/policies/CP-6841-3PCC', { target: '11.0.0' });
    expect(mpp.status).toBe(422);
    expect(mpp.body.detail).toMatch(/"11.0.0" is not a firmware version like sip88xx.12-0-1MPP/);
    // The SPA version parses; what stops it is only the missing image.
    const spa = await admin.put('/firmware/policies/SPA962', { target: '2.0.6' });
    expect(spa.body.detail).not.toMatch(/is not a firmware version/);
  });
});

describe('Downgrade_Rev_Limit and Upgrade_Rule together (001 L1347-1352)', () => {
  const rule = (load: string) => `("$F" ne "beta-customer")? http://p.tel.com/firmware/sip68xx.11-0-1MPP-BN.loads | http://p.tel.com/firmware/${load}`;

  it('an Upgrade_Rule aiming below the limit is refused with the reason', async () => {
    const res = await api.post('/profiles', profile('below-limit', ['CP-6841-3PCC'], { Downgrade_Rev_Limit: 'sip68xx.11-0-1MPP', Upgrade_Rule: rule('sip68xx.11-0-0MPP-BN.loads') }));
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveLength(1);
    expect(JSON.stringify(res.body.errors[0])).toMatch(/Upgrade_Rule: load sip68xx.11-0-0MPP-BN is below Downgrade_Rev_Limit sip68xx.11-0-1MPP; the phone rejects upgrades to earlier versions/);
  });

  it('loads at or above the limit are accepted', async () => {
    const res = await api.post('/profiles', profile('above-limit', ['CP-6841-3PCC'], { Downgrade_Rev_Limit: 'sip68xx.11-0-1MPP', Upgrade_Rule: rule('sip68xx.11-2-3MPP-BN.loads') }));
    expect(res.status).toBe(201);
  });
});

describe('web-page labels and legacy names (S07: 001 L675-681; 000 L527; 003 L731)', () => {
  it('are stored under their XML names and shown in the answer, not refused', async () => {
    const res = await api.post('/profiles', {
      name: 'labels',
      precedence: 5,
      match: { productClasses: ['CP-6841-3PCC'] },
      parameters: [
        { name: 'Resync On Reset', value: 'Yes' },
        { name: 'Resync At (HHmm)', value: '0959' },
        { name: 'SIP_TOS/DiffServ_Value[1]', value: '0x68' },
        { name: 'Station_Name', value: 'Lobby' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.renamed).toEqual([
      { given: 'Resync On Reset', name: 'Resync_On_Reset' },
      { given: 'Resync At (HHmm)', name: 'Resync_At__HHmm_' },
      { given: 'SIP_TOS/DiffServ_Value[1]', name: 'SIP_TOS_DiffServ_Value_1_' },
    ]);
    const stored = (await api.get('/profiles/labels')).body.parameters.map((p: { name: string }) => p.name);
    expect(stored).toEqual(['Resync_On_Reset', 'Resync_At__HHmm_', 'SIP_TOS_DiffServ_Value_1_', 'Station_Name']);
  });

  it('converted, the value is checked as the XML parameter; a label naming nothing is refused as written', async () => {
    const res = await api.post('/profiles', { name: 'bad-labels', precedence: 5, match: {}, parameters: [{ name: 'Resync At (HHmm)', value: '2500' }, { name: 'Resync On Nothing', value: 'Yes' }] });
    expect(res.status).toBe(422);
    const messages = res.body.errors.map((e: { message: string }) => e.message);
    expect(messages[0]).toMatch(/^Resync At \(HHmm\) \(Resync_At__HHmm_: HHmm "2500" is not a time/);
    expect(messages[1]).toMatch(/^Resync On Nothing: unknown parameter/);
  });
});

describe('alias maps (S21: 003 L1210-1255)', () => {
  // 003 L2228-2240: the guide's exercise.
  const MAP = '/customer-account/SIP-number = /flat-profile/User_ID_1_ ;/customer-account/SIP-password = /flat-profile/Password_1_ ;';
  const RULE = '[--alias a ] tftp://192.168.1.200/customer.xml';
  const DOCUMENT = '<customer-account>\n  <SIP-number> 17775551234\n</SIP-number>\n  <SIP-password> 512835907884\n</SIP-password>\n</customer-account>';

  it('a profile setting the rule and its alias register is checked and saved', async () => {
    const res = await api.post('/profiles', profile('alias-ok', ['CP-6841-3PCC'], { GPP_A: MAP, Profile_Rule: RULE }));
    expect(res.status).toBe(201);
  });

  it('more than 30 aliases, or an alias to an unknown parameter, is refused naming the register', async () => {
    // "Up to 30 parameters can be remapped this way." (003 L1255)
    const many = Array.from({ length: 31 }, (_, i) => `/acct/line${i} = /flat-profile/GPP_${String.fromCharCode(65 + (i % 16))} ;`).join('');
    const thirty = many.split(';').slice(0, 30).join(';') + ';';
    expect((await api.post('/profiles', profile('alias-30', ['CP-6841-3PCC'], { GPP_B: thirty, Profile_Rule_B: '[--alias b] http://p.example/acct.xml' }))).status).toBe(201);
    const over = await api.post('/profiles', profile('alias-31', ['CP-6841-3PCC'], { GPP_B: many, Profile_Rule_B: '[--alias b] http://p.example/acct.xml' }));
    expect(over.status).toBe(422);
    expect(over.body.errors).toHaveLength(1);
    expect(JSON.stringify(over.body.errors[0])).toMatch(/GPP_B: alias map of Profile_Rule_B --alias: .*at most 30 aliases/);
    const unknown = await api.post('/profiles', profile('alias-unknown', ['CP-6841-3PCC'], { GPP_A: '/acct/number = /flat-profile/User_Id_One ;', Profile_Rule: RULE }));
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body.errors)).toMatch(/GPP_A: alias map of Profile_Rule --alias: maps to unknown parameter User_Id_One/);
    // Without a rule naming it, GPP_A is any string.
    expect((await api.post('/profiles', profile('gpp-free', ['CP-6841-3PCC'], { GPP_A: many }))).status).toBe(201);
  });

  it("previews what the phone sets from the guide's <customer-account> document", async () => {
    const res = await api.post('/cisco/alias-preview', { map: MAP, document: DOCUMENT });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      values: [
        { parameter: 'User_ID_1_', value: '17775551234', element: '/customer-account/SIP-number' },
        { parameter: 'Password_1_', value: '512835907884', element: '/customer-account/SIP-password' },
      ],
      unmatched: [],
    });
  });

  it('matches an alias against the end of the element path: the element can be nested further (003 L1243-1250)', async () => {
    const map = '/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;/SIP-Credentials/number = /flat-profile/User_ID_1_ ;/auth-secret = /flat-profile/Password_1_ ;/SIP-Credentials/realm = /flat-profile/Auth_ID_1_ ;';
    const document = '<CPE><SIP-Credentials><name>J. Smith</name><number>14085551234</number><auth-secret>732091751563sfd</auth-secret></SIP-Credentials></CPE>';
    const res = await api.post('/cisco/alias-preview', { map, document });
    expect(res.body.values.map((v: { parameter: string; value: string }) => [v.parameter, v.value])).toEqual([
      ['Display_Name_1_', 'J. Smith'],
      ['User_ID_1_', '14085551234'],
      ['Password_1_', '732091751563sfd'],
    ]);
    expect(res.body.unmatched).toEqual(['/SIP-Credentials/realm']);
  });

  it('refuses a bad map or a hostile document with 422 naming the field', async () => {
    const badMap = await api.post('/cisco/alias-preview', { map: '/a/b => User_ID_1_', document: DOCUMENT });
    expect(badMap.status).toBe(422);
    expect(badMap.body.errors[0].field).toBe('map');
    const doctype = await api.post('/cisco/alias-preview', { map: MAP, document: '<!DOCTYPE x [<!ENTITY a "b">]><customer-account/>' });
    expect(doctype.status).toBe(422);
    expect(doctype.body.errors[0]).toMatchObject({ field: 'document', message: expect.stringMatching(/DOCTYPE/) });
    const broken = await api.post('/cisco/alias-preview', { map: MAP, document: '<customer-account><SIP-number>1</customer-account>' });
    expect(broken.status).toBe(422);
  });
});

describe('activation-code onboarding (S25: 001 L477-508, L567-597)', () => {
  const LOAD = 'http://10.0.0.5/sip88xx.11-2-3MSR1-1.loads';

  it("sets the guide's gds:// profile among the phone's own parameters, never showing the password", async () => {
    const phone = await registerDevice(acs.stores.db, { serialNumber: 'ACT0001', productClass: 'CP-8851-3PCC' });
    const res = await api.post(`/devices/${enc(phone.id)}/cisco/activation`, { upgradeRule: LOAD, userPassword: 'Abc123' });
    expect(res.status).toBe(200);
    expect(res.body.parameters).toEqual([
      { name: 'Profile_Rule', value: 'gds://', ua: 'na' },
      { name: 'Upgrade_Enable', value: 'yes', ua: 'na' },
      { name: 'Upgrade_Error_Retry_Delay', value: '3600', ua: 'na' },
      { name: 'Upgrade_Rule', value: LOAD, ua: 'na' },
      { name: 'User_Password', secret: true, ua: 'rw' },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('Abc123');
  });

  it('refuses the CP-6861 and a User_Password outside 4..127 characters, storing nothing', async () => {
    const old = await registerDevice(acs.stores.db, { serialNumber: 'ACT6861', productClass: 'CP-6861-3PCC' });
    const refused = await api.post(`/devices/${enc(old.id)}/cisco/activation`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'productClass', message: expect.stringMatching(/CP-6861-3PCC does not support activation-code onboarding/) });
    const phone = await registerDevice(acs.stores.db, { serialNumber: 'ACT0002', productClass: 'CP-8851-3PCC' });
    for (const bad of ['abc', 'x'.repeat(128)]) {
      const res = await api.post(`/devices/${enc(phone.id)}/cisco/activation`, { userPassword: bad });
      expect(res.status).toBe(bad.length > 127 ? 400 : 422);
      expect(JSON.stringify(res.body)).not.toContain(bad);
    }
    expect((await api.get(`/devices/${enc(phone.id)}/cisco/desired`)).status).toBe(404);
    expect((await api.get(`/devices/${enc(old.id)}/cisco/desired`)).status).toBe(404);
    expect((await api.post(`/devices/${enc(phone.id)}/cisco/activation`, { userPassword: 'x'.repeat(127) })).status).toBe(200);
  });
});

describe('Syslog_Server pointed at the syslog role (S24: 000 L210-217)', () => {
  it('is a profile parameter like any, with the collector port', async () => {
    const res = await api.post('/profiles', profile('syslog', ['CP-6841-3PCC'], { Syslog_Server: 'acs.example.net:5514', Syslog_Identifier: '$MAC' }));
    expect(res.status).toBe(201);
    expect((await api.post('/profiles', profile('syslog-bad', ['CP-6841-3PCC'], { Syslog_Server: 'acs.example.net:70000' }))).status).toBe(422);
  });
});
