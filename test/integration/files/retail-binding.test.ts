import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, type ApiClient } from '../../support/api';
import { TestPki, type Pem } from '../../support/certs';
import { runCli } from '../../support/cli';
import { rawRequest, type RawRequest } from '../../support/http';

/**
 * One-step retail binding (S18), over real HTTPS with client certificates against real stores.
 * The guide (001 L345-377): a customer's phone is told to resync once to
 * `https://prov.supervoip.com/cisco-init/1234abcd`; "The remote provisioning server associates
 * the phone that is performing the resync request with the new account, based on the URL and
 * the supplied Customer ID" (L362-364), "The phone is automatically directed to resync
 * thereafter to a permanent URL on the server ... https://prov.supervoip.com/cisco-init"
 * (L364-368), and "For both initial and permanent access, the provisioning server relies on
 * the phone client certificate for authentication" (L370-372).
 */
let acs: TestAcs;
let tlsOnly: TestAcs;
let pki: TestPki;
let api: ApiClient;
let admin: ApiClient;
const saved = { ...process.env };
const pems: Record<string, Pem> = {};
const ACCOUNT = '1234abcd';
const LINE = { Display_Name_1_: 'J. Smith', User_ID_1_: '14085551234', Password_1_: '732091751563sfd', Proxy_1_: 'sip.supervoip.example' };
const MAC_A = '000e08aa0001';
const MAC_B = '000e08aa0002';

const get = (path: string, pem?: Pem, options: RawRequest = {}) => rawRequest(acs.fsUrl, path, { ...options, tls: pki.client(pem) });
const values = (body: Buffer) => profileValues(parseProfile(body));
const lineParameters = (line: Record<string, string>) => Object.entries(line).map(([name, value]) => ({ name, value }));

beforeAll(async () => {
  pki = new TestPki();
  pems.a = pki.phone('CP-8851-3PCC', 'FCHRET0001', MAC_A);
  pems.b = pki.phone('CP-8851-3PCC', 'FCHRET0002', MAC_B);
  pems.generic = pki.phone('CP-7941', 'ciscogeneric', 'ciscogeneric');
  const stranger = new TestPki();
  pems.untrusted = stranger.phone('CP-8851-3PCC', 'FCHRET0003', '000e08aa0003');
  stranger.remove();
  const files = { ACS_FS_TLS_CERT: pki.files.cert, ACS_FS_TLS_KEY: pki.files.key };
  acs = await startTestAcs({ ...files, ACS_FS_TLS_CLIENT_CA: pki.files.ca }, { roles: ['fs', 'api'] });
  tlsOnly = await startTestAcs(files, { roles: ['fs'], stores: acs.stores });
  api = apiClient(acs, await acs.token('operator'));
  admin = apiClient(acs, await acs.token('admin'));
  Object.assign(process.env, { MONGODB_URL: acs.stores.mongodbUrl, REDIS_URL: acs.stores.redisUrl, ACS_API_URL: acs.apiUrl, ACS_API_TOKEN: await acs.token('operator', 'cli') });
});
afterAll(async () => {
  process.env = saved;
  await tlsOnly?.close();
  await acs?.close();
  pki?.remove();
});

describe('accounts and their line settings (API)', () => {
  it('are created with the line settings, the secret never shown', async () => {
    const res = await api.put(`/cisco/accounts/${ACCOUNT}`, { parameters: lineParameters(LINE) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ account: ACCOUNT, phone: null });
    expect(res.body.parameters).toEqual(expect.arrayContaining([{ name: 'User_ID_1_', value: LINE.User_ID_1_ }, { name: 'Password_1_', secret: true }]));
    expect(JSON.stringify(res.body)).not.toContain(LINE.Password_1_);
    expect((await api.put('/cisco/accounts/other-acct', { parameters: lineParameters({ User_ID_1_: '14085559999' }) })).status).toBe(201);
  });

  it('refuse a wrong parameter, a Profile_Rule of their own and a malformed account code, naming each', async () => {
    const wrong = await api.put(`/cisco/accounts/${ACCOUNT}`, { parameters: lineParameters({ User_ID_1_: '1', Line_Enable_1_: 'maybe', No_Such_Parameter: 'x' }) });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toEqual(['Line_Enable_1_', 'No_Such_Parameter']);
    const rule = await api.put(`/cisco/accounts/${ACCOUNT}`, { parameters: lineParameters({ Profile_Rule: 'https://elsewhere.example/x.xml' }) });
    expect(rule.status).toBe(422);
    expect(rule.body.errors[0]).toMatchObject({ field: 'parameters.0.name' });
    expect(rule.body.detail).toMatch(/Profile_Rule is set by the ACS/);
    const code = await api.put('/cisco/accounts/-bad', { parameters: [] });
    expect(code.status).toBe(400);
    expect(code.body.errors[0]).toMatchObject({ in: 'path', field: 'account' });
    expect((await api.get(`/cisco/accounts/${ACCOUNT}`)).body.parameters).toHaveLength(4);
  });
});

describe('GET /cisco-init/<account> (001 L360-368)', () => {
  it('binds the phone of the client certificate and answers with the permanent Profile_Rule plus the line settings', async () => {
    const res = await get(`/cisco-init/${ACCOUNT}`, pems.a);
    expect(res.status).toBe(200);
    const profile = values(res.body);
    expect(profile).toEqual({ ...LINE, Profile_Rule: `https://${new URL(acs.fsUrl).host}/cisco-init` });
    const account = await api.get(`/cisco/accounts/${ACCOUNT}`);
    expect(account.body.phone).toMatchObject({ mac: MAC_A, serial: 'FCHRET0001', model: 'CP-8851-3PCC' });
    const audit = await admin.get(`/audit?action=account.bind&target=${ACCOUNT}`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actor: { kind: 'device', name: `MAC ${MAC_A}` }, action: 'account.bind', target: ACCOUNT, status: 200, details: { mac: MAC_A } });
  });

  it('serves the bound phone again, by its certificate, at the first URL and at the permanent one (001 L370-372)', async () => {
    const again = await get(`/cisco-init/${ACCOUNT}`, pems.a);
    expect(again.status).toBe(200);
    const permanent = await get('/cisco-init', pems.a, { headers: { 'user-agent': `Cisco-CP-8851-3PCC/12.0.1 (${MAC_A})` } });
    expect(permanent.status).toBe(200);
    expect(values(permanent.body)).toMatchObject({ User_ID_1_: LINE.User_ID_1_, Password_1_: LINE.Password_1_ });
    // Binding the same phone to the same account again is no new binding.
    expect((await admin.get(`/audit?action=account.bind&target=${ACCOUNT}`)).body.items).toHaveLength(1);
  });

  it('follows the account: new line settings reach the bound phone at the permanent URL', async () => {
    expect((await api.put(`/cisco/accounts/${ACCOUNT}`, { parameters: lineParameters({ ...LINE, Display_Name_1_: 'Jane Smith' }) })).status).toBe(200);
    expect(values((await get('/cisco-init', pems.a)).body).Display_Name_1_).toBe('Jane Smith');
    expect((await api.get(`/cisco/accounts/${ACCOUNT}`)).body.phone).toMatchObject({ mac: MAC_A });
  });

  it('refuses a second binding: the bound phone to another account, another phone to the bound account', async () => {
    const phoneBound = await get('/cisco-init/other-acct', pems.a);
    expect(phoneBound.status).toBe(409);
    expect(phoneBound.body.toString()).toBe(`this phone (MAC ${MAC_A}) is bound to account ${ACCOUNT}: undo that binding first\n`);
    const accountBound = await get(`/cisco-init/${ACCOUNT}`, pems.b);
    expect(accountBound.status).toBe(409);
    expect(accountBound.body.toString()).toBe(`account ${ACCOUNT} is bound to another phone: undo that binding first\n`);
    expect(accountBound.body.toString()).not.toContain(LINE.Password_1_);
    expect((await api.get('/cisco/accounts/other-acct')).body.phone).toBeNull();
  });

  it('answers an unknown account, a malformed code and an unbound phone at the permanent URL with 404 or 400', async () => {
    const unknown = await get('/cisco-init/nosuchacct', pems.b);
    expect(unknown.status).toBe(404);
    expect(unknown.body.toString()).toBe('unknown account nosuchacct\n');
    const malformed = await get('/cisco-init/a%20b', pems.b);
    expect(malformed.status).toBe(400);
    expect(malformed.body.toString()).toMatch(/^account code refused: /);
    const unbound = await get('/cisco-init', pems.b);
    expect(unbound.status).toBe(404);
    expect(unbound.body.toString()).toBe(`this phone (MAC ${MAC_B}) is bound to no account: resync it once to /cisco-init/<account>\n`);
  });

  it('refuses without a usable client certificate, saying why', async () => {
    const none = await get(`/cisco-init/${ACCOUNT}`);
    expect(none.status).toBe(403);
    expect(none.body.toString()).toMatch(/^a client certificate is required/);
    const overTlsOnly = await rawRequest(tlsOnly.fsUrl, '/cisco-init', { tls: pki.client(pems.a) });
    expect(overTlsOnly.status).toBe(403);
    expect(overTlsOnly.body.toString()).toMatch(/ACS_FS_TLS_CLIENT_CA/);
    const untrusted = await get('/cisco-init/other-acct', pems.untrusted);
    expect(untrusted.status).toBe(403);
    expect(untrusted.body.toString()).toMatch(/not signed by a CA the fs role trusts/);
    // A generic pre-2.0 certificate proves a Cisco phone, not which one (003 L530-536).
    const generic = await get('/cisco-init/other-acct', pems.generic);
    expect(generic.status).toBe(403);
    expect(generic.body.toString()).toMatch(/names no phone/);
    const otherAgent = await get('/cisco-init', pems.a, { headers: { 'user-agent': `Cisco-CP-8851-3PCC/12.0.1 (${MAC_B})` } });
    expect(otherAgent.status).toBe(403);
    for (const res of [none, overTlsOnly, untrusted, generic, otherAgent]) expect(res.body.toString()).not.toContain(LINE.Password_1_);
    expect((await api.get('/cisco/accounts/other-acct')).body.phone).toBeNull();
  });
});

describe('guessing account codes', () => {
  it('is throttled per source at ACS_FS_UNPROVEN_BUDGET, while the bound phone behind the same address is served', async () => {
    const strict = await startTestAcs(
      { ACS_FS_TLS_CERT: pki.files.cert, ACS_FS_TLS_KEY: pki.files.key, ACS_FS_TLS_CLIENT_CA: pki.files.ca, ACS_FS_UNPROVEN_BUDGET: '3', ACS_REDIS_PREFIX: `${acs.stores.redisPrefix}strict:` },
      { roles: ['fs'], stores: acs.stores },
    );
    try {
      const guess = (code: string) => rawRequest(strict.fsUrl, `/cisco-init/${code}`, { tls: pki.client(pems.b) });
      for (const code of ['guess-1', 'guess-2', 'guess-3']) expect((await guess(code)).status).toBe(404);
      const past = await guess('guess-4');
      expect(past.status).toBe(429);
      expect(past.headers['retry-after']).toBe('600');
      expect(past.body.toString()).toMatch(/too many requests for unknown accounts from this address \(more than 3 in 600 s\)/);
      // A real code is not looked up either once the budget is spent: no binding is made.
      expect((await guess('other-acct')).status).toBe(429);
      expect((await api.get('/cisco/accounts/other-acct')).body.phone).toBeNull();
      const bound = await rawRequest(strict.fsUrl, '/cisco-init', { tls: pki.client(pems.a) });
      expect(bound.status).toBe(200);
      expect(values(bound.body).User_ID_1_).toBe(LINE.User_ID_1_);
    } finally {
      await strict.close();
    }
  });
});

describe('undoing a binding (acs accounts unbind)', () => {
  it('frees the phone and the account, audited; the phone then binds elsewhere and another phone here', async () => {
    const shown = await runCli('accounts', 'show', ACCOUNT);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`phone +${MAC_A} \\(CP-8851-3PCC FCHRET0001\\)`));
    expect(shown.stdout).not.toContain(LINE.Password_1_);
    const unbound = await runCli('accounts', 'unbind', ACCOUNT);
    expect(unbound.code).toBe(0);
    expect(unbound.stdout).toBe(`account ${ACCOUNT}: its phone is unbound\n`);
    const audit = await admin.get(`/audit?action=account.unbind&target=${ACCOUNT}`);
    expect(audit.body.items[0]).toMatchObject({ actor: { kind: 'token', name: 'cli' }, details: { mac: MAC_A } });
    expect((await get('/cisco-init', pems.a)).status).toBe(404);
    const again = await runCli('accounts', 'unbind', ACCOUNT);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/account 1234abcd is bound to no phone \(HTTP 409\)/);
    expect((await get('/cisco-init/other-acct', pems.a)).status).toBe(200);
    expect(values((await get('/cisco-init', pems.a)).body).User_ID_1_).toBe('14085559999');
    expect((await get(`/cisco-init/${ACCOUNT}`, pems.b)).status).toBe(200);
    expect((await api.get(`/cisco/accounts/${ACCOUNT}`)).body.phone).toMatchObject({ mac: MAC_B });
  });

  it('the CLI names a bad account code or a bad assignment before calling the API', async () => {
    const code = await runCli('accounts', 'unbind', 'a/b');
    expect(code.code).toBe(2);
    expect(code.stderr).toMatch(/account "a\/b" refused/);
    const assignment = await runCli('accounts', 'set', ACCOUNT, 'User_ID_1_');
    expect(assignment.code).toBe(2);
    expect(assignment.stderr).toMatch(/expected Name=value, got "User_ID_1_"/);
    const refused = await runCli('accounts', 'set', ACCOUNT, 'Line_Enable_1_=maybe');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/Line_Enable_1_/);
  });

  it('deleting an account frees its phone', async () => {
    expect((await runCli('accounts', 'delete', ACCOUNT)).code).toBe(0);
    expect((await get('/cisco-init', pems.b)).status).toBe(404);
    expect((await api.get(`/cisco/accounts/${ACCOUNT}`)).status).toBe(404);
  });
});
