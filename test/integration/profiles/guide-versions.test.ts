import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, type ApiClient } from '../../support/api';

/**
 * Firmware versions as the guides write them, through the operator API on the real stores
 * (S03, S14, S23 of cisco-seeds-digest §12):
 * - MPP: `sip68xx.v1-v2-v3MPP-BN`; "By contrast: 11.0.0 is an invalid format." (001 L935-946)
 * - Small Business: `1.0.31(b)`, `1.0.33`, `2.0.6` (003 L1063-1070), `!` for `!=` and a missing
 *   left operand standing for `$SWVER`: `! 1.0.33` (003 L1085-1096)
 * - `Downgrade_Rev_Limit`: the phone rejects upgrades to earlier versions (001 L1352), so an
 *   `Upgrade_Rule` aiming below it is refused, with the reason.
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
