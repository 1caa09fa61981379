import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { decryptAes128Gcm } from '../../../src/cisco/crypto';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { answerChallenge, pickChallenge } from '../../../src/cwmp/auth/digest';
import type { TransferLogEntry } from '../../../src/files';
import { PhoneTokens, ReportStore, StoredDesiredConfig, withToken } from '../../../src/provisioning';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { TestPki, type Pem } from '../../support/certs';
import { registerDevice, type TestDevice } from '../../support/devices';
import { rawRequest, truncatedUpload, type RawRequest } from '../../support/http';

/**
 * The phones' own resync and report channel on the fs role (no TR-069), over real HTTP: what
 * a phone that proved itself gets (the ACS's token, credentials, a client certificate). What a
 * stranger gets is phone-channel-security.test.ts.
 */
let acs: TestAcs;
let desired: StoredDesiredConfig;
let reports: ReportStore;
let plain: TestDevice;
let keyed: TestDevice;
let sealed: TestDevice;
let host: string;

const OPENSSL = '/usr/bin/openssl';
const ua = (mac: string) => `Cisco-CP-8851-3PCC/12.0.1 (${mac})`;
const request = (p: string, options: RawRequest = {}) => rawRequest(acs.fsUrl, p, options);
/** The path with the token the ACS renders into the phone's rules. */
const proven = (p: string, device: TestDevice) => withToken(p, new PhoneTokens(acs.ctx.secret, 86_400).issue(device.id, { deviceKey: false }));
const xmlValues = (body: Buffer | string) => profileValues(parseProfile(body));

function openssl(args: string[], input: Buffer): Buffer {
  const r = spawnSync(OPENSSL, args, { input, timeout: 10_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout;
}

beforeAll(async () => {
  acs = await startTestAcs({ ACS_FS_UNPROVEN_BUDGET: '1000' }, { roles: ['fs'] });
  host = new URL(acs.fsUrl).host;
  desired = new StoredDesiredConfig(acs.stores.db);
  reports = new ReportStore(acs.stores.db);
  plain = await registerDevice(acs.stores.db, { serialNumber: 'FCHPH0001', mac: '00562b0b0001' });
  keyed = await registerDevice(acs.stores.db, { serialNumber: 'FCHPH0002', mac: '00562b0b0002' });
  sealed = await registerDevice(acs.stores.db, { serialNumber: 'FCHPH0003', mac: '00562b0b0003' });
  await desired.replace(plain.id, [
    { name: 'Station_Name', value: 'Desk $MA' },
    { name: 'User_ID_1_', value: '4085263127' },
    { name: 'Password_1_', value: 'line-secret' },
    { name: 'Profile_Rule', value: `http://${host}/cisco/CP-8851-3PCC$MA.cfg` },
    { name: 'Profile_Rule_B', value: `[--uid $SA --pwd $SB] http://${host}/cisco/auth/$MA.xml` },
    { name: 'GPP_SA', value: 'MyUserID' },
    { name: 'GPP_SB', value: 'MySecretPassword' },
    { name: 'Report_Rule', value: `[--delta --key test123]http://${host}/cisco/report/delta/$MA.xml; [--status]http://${host}/cisco/report/status/$MA.xml` },
  ]);
  await desired.replace(
    keyed.id,
    [
      { name: 'Station_Name', value: 'Keyed' },
      { name: 'Profile_Rule', value: `[--key $SC] http://${host}/cisco/secure/$MA.cfg` },
      { name: 'GPP_SC', value: 'SecretPhrase1234' },
    ],
    { gzip: true },
  );
  await desired.replace(
    sealed.id,
    [
      { name: 'Station_Name', value: 'Sealed' },
      { name: 'IKM_HTTP_Encrypt_Content', value: 'input keying material of the phone' },
    ],
    { aes128gcm: true },
  );
});
afterAll(async () => {
  await acs?.close();
});

describe('resync', () => {
  it('serves a known phone its profile by the MAC in the path, glued to the product name', async () => {
    const res = await request(proven(`/cisco/CP-8851-3PCC${plain.mac}.cfg`, plain));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(xmlValues(res.body)).toMatchObject({ Station_Name: `Desk ${plain.mac}`, User_ID_1_: '4085263127', Password_1_: 'line-secret' });
  });

  it('finds the phone by its User-Agent when the path has no MAC', async () => {
    const res = await request(proven('/cisco/CP-8851-3PCC.cfg', plain), { headers: { 'user-agent': ua(plain.mac) } });
    expect(res.status).toBe(200);
    expect(xmlValues(res.body).Station_Name).toBe(`Desk ${plain.mac}`);
  });

  it('answers 404 to unknown phones and to requests that carry no identity', async () => {
    const unknown = await request('/cisco/CP-8851-3PCC00562bffffff.cfg');
    expect(unknown.status).toBe(404);
    expect(unknown.body.toString()).toMatch(/unknown device: no device has MAC 00562bffffff/);
    const anonymous = await request('/cisco/profile.cfg', { headers: { 'user-agent': 'curl/8' } });
    expect(anonymous.status).toBe(404);
    expect(anonymous.body.toString()).toMatch(/no device identity/);
  });

  it('encrypts for a rule with --key as `openssl enc -d -aes-256-cbc -md md5` and gunzip read it (S11)', async () => {
    const res = await request(proven(`/cisco/secure/${keyed.mac}.cfg`, keyed));
    expect(res.status).toBe(200);
    expect(res.body.subarray(0, 8).toString()).toBe('Salted__');
    const xml = gunzipSync(openssl(['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', 'SecretPhrase1234'], res.body));
    expect(xmlValues(xml).Station_Name).toBe('Keyed');
    // The same phone at a URL of no rule: no key applies, only the delivery's gzip.
    const other = await request(proven(`/cisco/other/${keyed.mac}.cfg`, keyed));
    expect(xmlValues(gunzipSync(other.body)).Station_Name).toBe('Keyed');
  });

  it('encrypts with RFC 8188 aes128gcm and the phone\'s IKM when the delivery asks for it (S12)', async () => {
    const res = await request(proven(`/cisco/${sealed.mac}.xml`, sealed));
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('aes128gcm');
    const xml = decryptAes128Gcm(res.body, Buffer.from('input keying material of the phone'));
    expect(xmlValues(xml).Station_Name).toBe('Sealed');
  });

  it('challenges when the rule carries --uid/--pwd, and accepts Digest with those credentials; Basic only over TLS (S16)', async () => {
    const target = `/cisco/auth/${plain.mac}.xml`;
    const first = await request(target);
    expect(first.status).toBe(401);
    const challenges = first.all('www-authenticate');
    expect(challenges.some((c) => c.startsWith('Digest '))).toBe(true);
    // Plain HTTP: Basic would put the password on the wire in clear (ACS_FS_PHONE_BASIC_OVER_HTTP).
    expect(challenges.some((c) => c.startsWith('Basic '))).toBe(false);
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    const clearText = await request(target, { headers: { authorization: basic('MyUserID', 'MySecretPassword') } });
    expect(clearText.status).toBe(401);
    expect(clearText.body.toString()).toMatch(/authorization scheme not accepted/);
    const wrong = answerChallenge(pickChallenge(challenges)!, { username: 'MyUserID', password: 'wrong', method: 'GET', uri: target });
    expect((await request(target, { headers: { authorization: wrong } })).status).toBe(401);
    const digest = answerChallenge(pickChallenge(challenges)!, { username: 'MyUserID', password: 'MySecretPassword', method: 'GET', uri: target });
    const ok = await request(target, { headers: { authorization: digest } });
    expect(ok.status).toBe(200);
    expect(xmlValues(ok.body)).toMatchObject({ Station_Name: `Desk ${plain.mac}`, Password_1_: 'line-secret' });
    // The rule's credentials are the device's: at its other paths it is challenged for them too.
    const other = `/cisco/CP-8851-3PCC${plain.mac}.cfg`;
    const challenged = await request(other);
    expect(challenged.status).toBe(401);
    expect(challenged.body.toString()).not.toContain('line-secret');
    const answer = answerChallenge(pickChallenge(challenged.all('www-authenticate'))!, { username: 'MyUserID', password: 'MySecretPassword', method: 'GET', uri: other });
    expect(xmlValues((await request(other, { headers: { authorization: answer } })).body).Password_1_).toBe('line-secret');
  });

  it('records the name = "value" pairs of a --post resync and answers with the profile (S19)', async () => {
    const body = `Product = "CP-8851-3PCC"; MAC_Addr = "${plain.mac}"; Ser_Num = "FCHPH0001"; SW_Ver = "sip88xx.12-0-1MPP-2";`;
    const res = await request(proven(`/cisco/resyncs/${plain.mac}`, plain), { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(xmlValues(res.body).Station_Name).toBe(`Desk ${plain.mac}`);
    expect((await reports.get(plain.id))?.posted).toEqual({ Product: 'CP-8851-3PCC', MAC_Addr: plain.mac, Ser_Num: 'FCHPH0001', SW_Ver: 'sip88xx.12-0-1MPP-2' });
  });
});

describe('reports', () => {
  const report = (values: Record<string, string>) => `<flat-profile>\n${Object.entries(values).map(([k, v]) => `<${k}>${v}</${k}>`).join('\n')}\n</flat-profile>\n`;

  it('stores full, delta (openssl-encrypted with the rule\'s --key) and status reports as the reported state (S20)', async () => {
    const full = await request(`/cisco/report/config/${plain.mac}.xml`, { method: 'PUT', body: report({ Station_Name: 'Old', GPP_A: 'a', Password_1_: 'leaked' }) });
    expect(full.status).toBe(200);
    expect((await reports.get(plain.id))?.config).toEqual({ Station_Name: 'Old', GPP_A: 'a' });

    const delta = openssl(['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', 'test123'], Buffer.from(report({ Station_Name: 'New', 'Enable_802.1X_Authentication': 'No' })));
    expect((await request(`/cisco/report/delta/${plain.mac}.xml`, { method: 'POST', body: delta })).status).toBe(200);
    const state = await reports.get(plain.id);
    expect(state?.config).toEqual({ Station_Name: 'New', GPP_A: 'a', 'Enable_802.1X_Authentication': 'No' });
    expect(state?.deltaAt).toBeInstanceOf(Date);

    expect((await request(`/cisco/report/status/${plain.mac}.xml`, { method: 'PUT', body: 'Registration State: Registered\nUptime: 10:01\n' })).status).toBe(200);
    expect((await reports.get(plain.id))?.statusText).toMatch(/^Registration State: Registered/);
  });

  it('refuses a report under a wrong key, a malformed one and a truncated one, changing nothing', async () => {
    await request(`/cisco/report/config/${plain.mac}.xml`, { method: 'PUT', body: report({ Station_Name: 'Kept' }) });
    const before = await reports.get(plain.id);
    const wrongKey = openssl(['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', 'not-the-key'], Buffer.from(report({ Station_Name: 'Evil' })));
    const refused = await request(`/cisco/report/delta/${plain.mac}.xml`, { method: 'POST', body: wrongKey });
    expect(refused.status).toBe(400);
    expect(refused.body.toString()).toMatch(/cannot be decoded.*(key|decrypt)/i);
    const malformed = await request(`/cisco/report/config/${plain.mac}.xml`, { method: 'PUT', body: '<flat-profile><Station_Name>x</flat-profile>' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.toString()).toMatch(/not a flat profile/);
    await truncatedUpload(acs.fsUrl, `/cisco/report/config/${plain.mac}.xml`, 'PUT', '<flat-profile><Station_Name>Cut', 400);
    const log = acs.stores.db.collection<TransferLogEntry>('file_transfers');
    let cut: TransferLogEntry | null = null;
    for (let i = 0; i < 50 && !cut; i++) {
      await new Promise((r) => setTimeout(r, 100));
      cut = await log.findOne({ resource: 'report', reason: /truncated/ });
    }
    expect(cut).toMatchObject({ method: 'PUT', status: 400, complete: false, reason: expect.stringMatching(/upload truncated/) });
    expect(await reports.get(plain.id)).toEqual(before);
  });

  it('answers 404 to reports of unknown phones', async () => {
    expect((await request('/cisco/report/config/00562bfffffe.xml', { method: 'PUT', body: report({ Station_Name: 'x' }) })).status).toBe(404);
  });
});

describe('client certificates (mutual TLS)', () => {
  let tlsAcs: TestAcs;
  let pki: TestPki;
  let base: string;
  const pems: Record<string, Pem> = {};

  beforeAll(async () => {
    pki = new TestPki();
    pems.phone = pki.phone('CP-8851-3PCC', 'FCHPH0001', plain.mac);
    pems.generic = pki.phone('cisco.com', 'ciscogeneric', 'ciscogeneric');
    tlsAcs = await startTestAcs(
      { ACS_FS_TLS_CERT: pki.files.cert, ACS_FS_TLS_KEY: pki.files.key, ACS_FS_TLS_CLIENT_CA: pki.files.ca, ACS_FS_UNPROVEN_BUDGET: '1000' },
      { roles: ['fs'], stores: acs.stores },
    );
    base = tlsAcs.fsUrl;
  });
  afterAll(async () => {
    await tlsAcs?.close();
    pki?.remove();
  });

  const tls = (who?: 'phone' | 'generic') => pki.client(who ? pems[who] : undefined);

  it('serves the phone its certificate names, and refuses a path naming another phone (S17)', async () => {
    const own = await rawRequest(base, '/cisco/profile.cfg', { tls: tls('phone') });
    expect(own.status).toBe(200);
    expect(xmlValues(own.body)).toMatchObject({ Station_Name: `Desk ${plain.mac}`, Password_1_: 'line-secret' });
    const other = await rawRequest(base, `/cisco/${keyed.mac}.cfg`, { tls: tls('phone') });
    expect(other.status).toBe(403);
    expect(other.body.toString()).toMatch(/another device than the client certificate/);
  });

  it('refuses a client without a certificate; a generic one names nobody, so the profile goes without its secrets', async () => {
    const none = await rawRequest(base, `/cisco/${plain.mac}.cfg`, { tls: tls() });
    expect(none.status).toBe(403);
    expect(none.body.toString()).toMatch(/client certificate .* is required/);
    const generic = await rawRequest(base, '/cisco/profile.cfg', { tls: tls('generic'), headers: { 'user-agent': ua(keyed.mac) } });
    expect(generic.status).toBe(200);
    const values = xmlValues(gunzipSync(generic.body));
    expect(values.Station_Name).toBe('Keyed');
    expect(values.GPP_SC).toBeUndefined();
  });
});
