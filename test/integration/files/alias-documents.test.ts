import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';
import { TestPki, type Pem } from '../../support/certs';
import { registerDevice, type TestDevice } from '../../support/devices';
import { rawRequest } from '../../support/http';
import { openssl } from '../../support/openssl';

/**
 * Alias-map documents (S21), served by the fs role over real HTTPS with a phone certificate,
 * against real stores. The Small Business guide's exercise (003 L2206-2247): GPP_A holds the
 * map `/customer-account/SIP-number = /flat-profile/User_ID_1_ ; /customer-account/SIP-password
 * = /flat-profile/Password_1_ ;`, the rule `[--alias a ] .../customer.xml` fetches a
 * `<customer-account>` document, and the phone "remaps the elements, as indicated by the alias
 * map, and populates the User_ID_1_ and Password_1_ parameters" (L2244-2245). "Up to 30
 * parameters can be remapped this way." (L1255) Options combine: `[--alias a --key
 * abracadabra321 --post c]` (L1262-1266).
 */
let acs: TestAcs;
let plain: TestAcs;
let pki: TestPki;
let api: ApiClient;
let phone: TestDevice;
let lost: TestDevice;
let pem: Pem;
let host: string;
const MAP = '/customer-account/SIP-number = /flat-profile/User_ID_1_ ;/customer-account/SIP-password = /flat-profile/Password_1_ ;';
const KEY = 'abracadabra321';
const ua = (mac: string) => `Cisco-CP-8851-3PCC/12.0.1 (${mac})`;
const GUIDE_DOCUMENT = '<customer-account>\n  <SIP-number>17775551234</SIP-number>\n  <SIP-password>512835907884</SIP-password>\n</customer-account>\n';

const fetchAs = (path: string, mac: string) => rawRequest(acs.fsUrl, path, { tls: pki.client(pem), headers: { 'user-agent': ua(mac) } });
const desired = (device: TestDevice, parameters: Record<string, string>) => api.put(`/devices/${enc(device.id)}/cisco/desired`, { parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })) });
const many = (n: number) => Array.from({ length: n }, (_, i) => `/acct/line${i} = /flat-profile/GPP_${String.fromCharCode(66 + (i % 15))} ;`).join('');

beforeAll(async () => {
  pki = new TestPki();
  const files = { ACS_FS_TLS_CERT: pki.files.cert, ACS_FS_TLS_KEY: pki.files.key };
  acs = await startTestAcs({ ...files, ACS_FS_TLS_CLIENT_CA: pki.files.ca }, { roles: ['fs', 'api'] });
  plain = await startTestAcs({}, { roles: ['fs'], stores: acs.stores });
  api = apiClient(acs, await acs.token('operator'));
  host = new URL(acs.fsUrl).host;
  phone = await registerDevice(acs.stores.db, { serialNumber: 'FCHALI0001', mac: '000e08ab0001' });
  lost = await registerDevice(acs.stores.db, { serialNumber: 'FCHALI0002', mac: '000e08ab0002' });
  pem = pki.phone('CP-8851-3PCC', 'FCHALI0001', phone.mac);
  const set = await desired(phone, {
    GPP_A: MAP,
    User_ID_1_: '17775551234',
    Password_1_: '512835907884',
    Display_Name_1_: 'J. Smith',
    Profile_Rule: `https://${host}/cisco/$MA.xml`,
    Profile_Rule_B: `[--alias a ] https://${host}/cisco/customer.xml`,
    Profile_Rule_C: `[--alias a --key ${KEY}] https://${host}/cisco/customer.cfg`,
  });
  expect(set.status).toBe(200);
});
afterAll(async () => {
  await plain?.close();
  await acs?.close();
  pki?.remove();
});

describe('a rule fetching with --alias (003 L2206-2247)', () => {
  it("gets the guide's <customer-account> document, from which the phone sets User_ID_1_ and Password_1_", async () => {
    const res = await fetchAs('/cisco/customer.xml', phone.mac);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.body.toString()).toBe(GUIDE_DOCUMENT);
    // Read back as the phone does: each element whose path ends with an alias sets its parameter.
    const read = await api.post('/cisco/alias-preview', { map: MAP, document: res.body.toString() });
    expect(read.body).toEqual({
      values: [
        { parameter: 'User_ID_1_', value: '17775551234', element: '/customer-account/SIP-number' },
        { parameter: 'Password_1_', value: '512835907884', element: '/customer-account/SIP-password' },
      ],
      unmatched: [],
    });
  });

  it('is encrypted as the rule --key asks when the options combine (003 L1262-1266)', async () => {
    const res = await fetchAs('/cisco/customer.cfg', phone.mac);
    expect(res.status).toBe(200);
    expect(res.body.toString('latin1')).not.toContain('512835907884');
    expect(openssl(['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', KEY], res.body).toString()).toBe(GUIDE_DOCUMENT);
  });

  it("leaves the device's other rules with the <flat-profile>, the alias map in it", async () => {
    const res = await fetchAs(`/cisco/${phone.mac}.xml`, phone.mac);
    expect(res.status).toBe(200);
    expect(profileValues(parseProfile(res.body))).toMatchObject({ GPP_A: MAP, User_ID_1_: '17775551234', Display_Name_1_: 'J. Smith' });
  });

  it('goes to a requester that proved nothing without the secret elements', async () => {
    const res = await rawRequest(plain.fsUrl, '/cisco/customer.xml', { headers: { 'user-agent': ua(phone.mac) } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('<customer-account>\n  <SIP-number>17775551234</SIP-number>\n</customer-account>\n');
  });

  it('is refused with 404, naming the register, when the alias map is not among the desired parameters', async () => {
    expect((await desired(lost, { User_ID_1_: '4085550002', Profile_Rule_B: `[--alias d] http://${new URL(plain.fsUrl).host}/cisco/acct/$MA.xml` })).status).toBe(200);
    const res = await rawRequest(plain.fsUrl, `/cisco/acct/${lost.mac}.xml`);
    expect(res.status).toBe(404);
    expect(res.body.toString()).toBe("Profile_Rule_B fetches with --alias d, but GPP_D (its alias map) is not among the device's desired parameters\n");
  });
});

describe('the preview of what the phone sets, per device', () => {
  it('reads back each served alias document, secrets flagged and never shown', async () => {
    const res = await api.get(`/devices/${enc(phone.id)}/cisco/alias-preview`);
    expect(res.status).toBe(200);
    const document = {
      register: 'GPP_A',
      values: [
        { parameter: 'User_ID_1_', value: '17775551234', element: '/customer-account/SIP-number' },
        { parameter: 'Password_1_', secret: true, element: '/customer-account/SIP-password' },
      ],
      unmatched: [],
    };
    expect(res.body).toEqual({ documents: [{ rule: 'Profile_Rule_B', ...document }, { rule: 'Profile_Rule_C', ...document }] });
    expect(JSON.stringify(res.body)).not.toContain('512835907884');
    const missing = await api.get(`/devices/${enc(lost.id)}/cisco/alias-preview`);
    expect(missing.body.documents).toEqual([{ rule: 'Profile_Rule_B', register: 'GPP_D', problem: expect.stringMatching(/GPP_D \(its alias map\) is not among/) }]);
  });

  it('names the aliases a document does not fill: the phone keeps its own value', async () => {
    expect((await desired(lost, { User_ID_1_: '4085550002', GPP_D: '/acct/number = /flat-profile/User_ID_1_ ;/acct/name = /flat-profile/Display_Name_1_ ;', Profile_Rule_B: '[--alias d] http://p.example/acct.xml' })).status).toBe(200);
    const res = await api.get(`/devices/${enc(lost.id)}/cisco/alias-preview`);
    expect(res.body.documents[0]).toMatchObject({ values: [{ parameter: 'User_ID_1_', value: '4085550002', element: '/acct/number' }], unmatched: ['/acct/name'] });
  });
});

describe('alias maps a device sets are checked (003 L1251-1255)', () => {
  const rule = { Profile_Rule_B: '[--alias a] http://p.example/acct.xml' };

  it('30 entries are accepted; 31 are refused naming the register', async () => {
    expect((await desired(lost, { GPP_A: many(30), ...rule })).status).toBe(200);
    const over = await desired(lost, { GPP_A: many(31), ...rule });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([{ in: 'body', field: 'GPP_A', message: expect.stringMatching(/^GPP_A: alias map of Profile_Rule_B --alias: .*expected at most 30 aliases/) }]);
  });

  it('a malformed, an ambiguous or a non-XML map is refused naming the register and why', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/acct/number => User_ID_1_', /expected \/path\/to\/element = \/flat-profile\/Parameter_Name/],
      ['/name = /flat-profile/Display_Name_1_ ;/SIP-Credentials/name = /flat-profile/User_ID_1_ ;', /ambiguous: \/name \(Display_Name_1_\) also matches \/SIP-Credentials\/name \(User_ID_1_\)/],
      ['/acct/number = /flat-profile/User_ID_1_ ;/acct/number = /flat-profile/Auth_ID_1_ ;', /\/acct\/number is mapped twice/],
      ['/acct/1st = /flat-profile/User_ID_1_ ;', /"1st" is not an XML element name/],
    ];
    for (const [map, why] of cases) {
      const res = await desired(lost, { GPP_A: map, ...rule });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'GPP_A', message: expect.stringMatching(why) });
    }
  });
});
