import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { answerChallenge, pickChallenge } from '../../../src/cwmp/auth/digest';
import { DeviceRepository } from '../../../src/devices/repository';
import { UrlSigner, type TransferLogEntry } from '../../../src/files';
import { metrics } from '../../../src/metrics';
import { PhoneTokens, ReportStore, StoredDesiredConfig, withToken } from '../../../src/provisioning';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { TestPki, type Pem } from '../../support/certs';
import { registerDevice, type TestDevice } from '../../support/devices';
import { rawRequest, type RawRequest, type RawResponse } from '../../support/http';

/**
 * The phones' channel against strangers (issue 11): whoever names a MAC learns no secret; the
 * phone proves itself with its certificate, its credentials or the token the ACS rendered for
 * it; guessing is throttled per source; ACS_FS_INSECURE_PHONE_CHANNEL restores the old way.
 */
let acs: TestAcs;
let host: string;
let desired: StoredDesiredConfig;
let victim: TestDevice;
let withCredentials: TestDevice;
let otherWithCredentials: TestDevice;
let keyedPhone: TestDevice;
const logs: Array<Record<string, unknown>> = [];

/** One value per secret-bearing parameter type: passwords of every kind, GPP_SA..SD, the IKM, inline rule keys. */
const SECRETS: Record<string, string> = {
  Password_1_: 'sip-line-pw-1',
  SIP_Password: 'xsi-sip-pw',
  Login_Password: 'xsi-login-pw',
  Admin_Password: 'admin-pw-77',
  User_Password: 'user-pw-78',
  ACS_Password: 'acs-pw-79',
  Connection_Request_Password: 'cr-pw-80',
  'Wi-Fi_Password_1_': 'wifi-pw-81',
  WEP_Key_1_: 'wep-key-82',
  PSK_Passphrase_1_: 'psk-pass-83',
  LDAP_Password: 'ldap-pw-84',
  GPP_SA: 'gpp-sa-85',
  GPP_SB: 'gpp-sb-86',
  GPP_SC: 'gpp-sc-87',
  GPP_SD: 'gpp-sd-88',
  IKM_HTTP_Encrypt_Content: 'ikm-material-89',
};
const INLINE_KEY = 'inline-rule-key-90';
const REPORT_KEY = 'report-rule-key-91';
const ALL_SECRETS = [...Object.values(SECRETS), INLINE_KEY, REPORT_KEY];

const ua = (mac: string) => `Cisco-CP-8851-3PCC/12.0.1 (${mac})`;
const request = (p: string, options: RawRequest = {}) => rawRequest(acs.fsUrl, p, options);
const xmlValues = (body: Buffer | string) => profileValues(parseProfile(body));
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

function expectNoSecret(res: RawResponse | string): void {
  const text = typeof res === 'string' ? res : res.body.toString('latin1');
  for (const s of ALL_SECRETS) expect(text).not.toContain(s);
  expect(text).not.toContain('acs_token=');
}

/** The path of the signed configuration Download URL the ACS hands the device over TR-069. */
function downloadPath(device: TestDevice): string {
  const url = new UrlSigner(acs.ctx.secret, acs.fsUrl).profileUrl(device.id, new Date(Date.now() + 3600_000));
  return url.slice(acs.fsUrl.length);
}

/** The token the ACS rendered into the phone's Profile_Rule, as the phone's next resync sends it. */
function renderedToken(profile: Buffer): string {
  const rule = xmlValues(profile).Profile_Rule;
  const m = /acs_token=([^\s&|]+)/.exec(rule ?? '');
  if (!m) throw new Error(`no token in Profile_Rule ${rule}`);
  return m[1];
}

async function unprovenCount(outcome: string): Promise<number> {
  return (await metrics.fsPhoneUnproven.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

function openssl(args: string[], input: Buffer): Buffer {
  const r = spawnSync('/usr/bin/openssl', args, { input, timeout: 10_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout;
}

beforeAll(async () => {
  acs = await startTestAcs({ ACS_FS_UNPROVEN_BUDGET: '1000' }, { roles: ['fs'], logs });
  host = new URL(acs.fsUrl).host;
  desired = new StoredDesiredConfig(acs.stores.db);
  victim = await registerDevice(acs.stores.db, { serialNumber: 'FCHSEC0001', mac: '00562b0c0001' });
  withCredentials = await registerDevice(acs.stores.db, { serialNumber: 'FCHSEC0002', mac: '00562b0c0002' });
  otherWithCredentials = await registerDevice(acs.stores.db, { serialNumber: 'FCHSEC0003', mac: '00562b0c0003' });
  keyedPhone = await registerDevice(acs.stores.db, { serialNumber: 'FCHSEC0004', mac: '00562b0c0004' });
  await desired.replace(victim.id, [
    { name: 'Station_Name', value: 'Victim $MA' },
    { name: 'User_ID_1_', value: '4085550001' },
    ...Object.entries(SECRETS).map(([name, value]) => ({ name, value })),
    { name: 'Profile_Rule', value: `http://${host}/cisco/$MA.xml` },
    { name: 'Profile_Rule_C', value: `[--key ${INLINE_KEY}] http://elsewhere.example/cisco/$MA.cfg` },
    { name: 'Report_Rule', value: `[--delta --key ${REPORT_KEY}]http://${host}/cisco/report/delta/$MA.xml` },
  ]);
  const repo = new DeviceRepository(acs.stores.db);
  const realm = acs.ctx.config.cwmp.realm;
  await repo.setCredentials(withCredentials.id, { username: 'phone-0002', password: 'pw-of-0002' }, realm);
  await repo.setCredentials(otherWithCredentials.id, { username: 'phone-0003', password: 'pw-of-0003' }, realm);
  for (const d of [withCredentials, otherWithCredentials]) {
    await desired.replace(d.id, [
      { name: 'Station_Name', value: 'Creds $MA' },
      { name: 'Password_1_', value: SECRETS.Password_1_ },
    ]);
  }
  await desired.replace(
    keyedPhone.id,
    [
      { name: 'Station_Name', value: 'Keyed $MA' },
      { name: 'Password_1_', value: SECRETS.Password_1_ },
      { name: 'Profile_Rule', value: `http://${host}/cisco/k/$MA.xml` },
    ],
    { deviceKey: true },
  );
});
afterAll(async () => {
  await acs?.close();
});

describe('a stranger naming a known MAC', () => {
  it('gets the profile without any secret, by path or User-Agent, logged once per device without the secrets', async () => {
    const before = await unprovenCount('redacted');
    const byPath = await request(`/cisco/${victim.mac}.xml`);
    expect(byPath.status).toBe(200);
    const values = xmlValues(byPath.body);
    expect(values).toMatchObject({ Station_Name: `Victim ${victim.mac}`, User_ID_1_: '4085550001', Profile_Rule: `http://${host}/cisco/$MA.xml` });
    for (const name of [...Object.keys(SECRETS), 'Profile_Rule_C', 'Report_Rule']) expect(values[name]).toBeUndefined();
    expectNoSecret(byPath);
    const byAgent = await request('/cisco/CP-8851-3PCC.cfg', { headers: { 'user-agent': ua(victim.mac) } });
    expect(byAgent.status).toBe(200);
    expectNoSecret(byAgent);
    await request(`/cisco/${victim.mac}.xml`);
    expect((await unprovenCount('redacted')) - before).toBe(3);
    const logged = logs.filter((l) => l.event === 'fs.phone_unproven' && l.deviceId === victim.id);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ outcome: 'redacted', status: 200 });
  });

  it('cannot write what the phone reports about itself with a --post resync', async () => {
    const res = await request(`/cisco/resyncs/${victim.mac}`, { method: 'POST', body: 'SW_Ver = "forged";' });
    expect(res.status).toBe(200);
    expectNoSecret(res);
    expect((await new ReportStore(acs.stores.db).get(victim.id))?.posted).toBeUndefined();
  });

  it('is challenged, not served, for a device with credentials the ACS knows (phones answer only a challenge)', async () => {
    const res = await request(`/cisco/${withCredentials.mac}.xml`);
    expect(res.status).toBe(401);
    expect(res.all('www-authenticate').some((c) => c.startsWith('Digest '))).toBe(true);
    expectNoSecret(res);
  });
});

describe('the phone proving itself', () => {
  it('gets everything with the token the ACS rendered into its Download profile, and its resyncs carry it', async () => {
    const download = await request(downloadPath(victim));
    expect(download.status).toBe(200);
    expect(xmlValues(download.body)).toMatchObject(SECRETS);
    const token = renderedToken(download.body);
    expect(xmlValues(download.body).Profile_Rule).toBe(`http://${host}/cisco/$MA.xml?acs_token=${token}`);
    // A rule pointing elsewhere gets no token.
    expect(xmlValues(download.body).Profile_Rule_C).not.toContain('acs_token');

    const resync = await request(`/cisco/${victim.mac}.xml?acs_token=${token}`);
    expect(resync.status).toBe(200);
    const values = xmlValues(resync.body);
    expect(values).toMatchObject(SECRETS);
    expect(values.Profile_Rule_C).toContain(INLINE_KEY);
    expect(values.Report_Rule).toContain(REPORT_KEY);
    expect(renderedToken(resync.body)).toMatch(/^[0-9a-z]+\.0\./);
  });

  it('gets everything with its Digest credentials over HTTP', async () => {
    const target = `/cisco/${withCredentials.mac}.xml`;
    const challenge = pickChallenge((await request(target)).all('www-authenticate'))!;
    const digest = answerChallenge(challenge, { username: 'phone-0002', password: 'pw-of-0002', method: 'GET', uri: target });
    const res = await request(target, { headers: { authorization: digest } });
    expect(res.status).toBe(200);
    expect(xmlValues(res.body)).toMatchObject({ Station_Name: `Creds ${withCredentials.mac}`, Password_1_: SECRETS.Password_1_ });
  });
});

describe('bad proof gets a clear refusal, logged without the secret', () => {
  const tokens = () => new PhoneTokens(acs.ctx.secret, 86_400);

  it('refuses forged, expired, malformed and other-device tokens', async () => {
    const good = tokens().issue(victim.id, { deviceKey: false });
    const flipped = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const expired = new PhoneTokens(acs.ctx.secret, 3600).issue(victim.id, { deviceKey: false }, Date.now() - 10 * 86_400_000);
    const otherDevice = tokens().issue(withCredentials.id, { deviceKey: false });
    const upgraded = good.replace('.0.', '.k.');
    const cases: Array<[string, RegExp]> = [
      [flipped, /signature does not match/],
      [upgraded, /signature does not match/],
      [otherDevice, /signature does not match .*another device/],
      [expired, /expired at/],
      ['not-a-token', /malformed/],
    ];
    for (const [token, why] of cases) {
      const res = await request(withToken(`/cisco/${victim.mac}.xml`, token));
      expect(res.status).toBe(403);
      expect(res.body.toString()).toMatch(why);
      expectNoSecret(res);
    }
    const twice = await request(`/cisco/${victim.mac}.xml?acs_token=${good}&acs_token=${good}`);
    expect(twice.status).toBe(400);
    // The transfer log is written in batches: wait for the refusals to land.
    const log = acs.stores.db.collection<TransferLogEntry>('file_transfers');
    let entries: TransferLogEntry[] = [];
    for (let i = 0; i < 100 && entries.length < cases.length; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      entries = await log.find({ reason: /token refused: (malformed|the signature|expired)/ }).toArray();
    }
    expect(entries.length).toBeGreaterThanOrEqual(cases.length);
    for (const e of entries) {
      expect(e.status).toBe(403);
      expect(JSON.stringify(e)).not.toContain(good.slice(-20));
    }
    expect(JSON.stringify(logs)).not.toContain(good.slice(-20));
  });

  it('refuses the credentials of another device, and Basic over plain HTTP', async () => {
    const target = `/cisco/${withCredentials.mac}.xml`;
    const challenge = pickChallenge((await request(target)).all('www-authenticate'))!;
    const others = answerChallenge(challenge, { username: 'phone-0003', password: 'pw-of-0003', method: 'GET', uri: target });
    const res = await request(target, { headers: { authorization: others } });
    expect(res.status).toBe(401);
    expect(res.body.toString()).toMatch(/credentials refused \(wrong Digest credentials\)/);
    expectNoSecret(res);
    const clear = await request(target, { headers: { authorization: basic('phone-0002', 'pw-of-0002') } });
    expect(clear.status).toBe(401);
    expect(clear.body.toString()).toMatch(/authorization scheme not accepted/);
    expectNoSecret(clear);
    expect(JSON.stringify(logs)).not.toContain('pw-of-000');
  });

  it('refuses path tricks: dot segments, encoded separators and NUL, double extensions', async () => {
    const cases: Array<[string, RegExp]> = [
      [`/cisco/../cisco/${victim.mac}.xml`, /path traversal refused/],
      [`/cisco/%2e%2e/${victim.mac}.xml`, /path traversal refused/],
      [`/cisco/a%2Fb/${victim.mac}.xml`, /encoded separator/],
      [`/cisco/a%5cb/${victim.mac}.xml`, /encoded separator/],
      [`/cisco/${victim.mac}.xml%00.cfg`, /encoded separator or NUL/],
      [`/cisco/${victim.mac}.xml.bak`, /at most one extension/],
      [`/cisco/${victim.mac}.cfg.xml`, /at most one extension/],
    ];
    for (const [p, why] of cases) {
      const res = await request(p);
      expect({ p, status: res.status }).toEqual({ p, status: 400 });
      expect(res.body.toString()).toMatch(why);
      expectNoSecret(res);
    }
  });
});

describe('per-device keys', () => {
  it('hands the key only with proof, then encrypts every resync under it', async () => {
    const download = await request(downloadPath(keyedPhone));
    const first = xmlValues(download.body);
    const key = first.GPP_SD;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.Profile_Rule).toMatch(new RegExp(`^\\[--key \\$SD\\] http://${host.replace(/[.]/g, '\\.')}/cisco/k/\\$MA\\.xml\\?acs_token=[0-9a-z]+\\.k\\.`));
    const token = renderedToken(download.body);

    const resync = await request(`/cisco/k/${keyedPhone.mac}.xml?acs_token=${token}`);
    expect(resync.status).toBe(200);
    expect(resync.body.subarray(0, 8).toString()).toBe('Salted__');
    expect(resync.body.toString('latin1')).not.toContain(SECRETS.Password_1_);
    const plain = openssl(['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', key], resync.body);
    expect(xmlValues(plain)).toMatchObject({ Password_1_: SECRETS.Password_1_, GPP_SD: key });

    // Another device's key differs; a stranger gets neither the key nor the password.
    const other = xmlValues((await request(downloadPath(victim))).body);
    expect(other.GPP_SD).toBe(SECRETS.GPP_SD);
    const stranger = await request(`/cisco/k/${keyedPhone.mac}.xml`);
    expect(stranger.status).toBe(200);
    expect(xmlValues(stranger.body).GPP_SD).toBeUndefined();
    expect(stranger.body.toString()).not.toContain(key);
    expect(JSON.stringify(logs)).not.toContain(key);
  });
});

describe('over HTTPS', () => {
  let pki: TestPki;
  let tlsAcs: TestAcs;
  let mtlsAcs: TestAcs;
  const pems: Record<string, Pem> = {};

  beforeAll(async () => {
    pki = new TestPki();
    pems.victim = pki.phone('CP-8851-3PCC', 'FCHSEC0001', victim.mac);
    pems.other = pki.phone('CP-8851-3PCC', 'FCHSEC0002', withCredentials.mac);
    const tlsFiles = { ACS_FS_TLS_CERT: pki.files.cert, ACS_FS_TLS_KEY: pki.files.key, ACS_FS_UNPROVEN_BUDGET: '1000' };
    tlsAcs = await startTestAcs(tlsFiles, { roles: ['fs'], stores: acs.stores });
    mtlsAcs = await startTestAcs({ ...tlsFiles, ACS_FS_TLS_CLIENT_CA: pki.files.ca }, { roles: ['fs'], stores: acs.stores });
  });
  afterAll(async () => {
    await tlsAcs?.close();
    await mtlsAcs?.close();
    pki?.remove();
  });

  it('serves a stranger no secret, and the phone everything with Basic credentials (TLS protects them)', async () => {
    const stranger = await rawRequest(tlsAcs.fsUrl, `/cisco/${victim.mac}.xml`, { tls: pki.client() });
    expect(stranger.status).toBe(200);
    expectNoSecret(stranger);
    const target = `/cisco/${withCredentials.mac}.xml`;
    const challenged = await rawRequest(tlsAcs.fsUrl, target, { tls: pki.client() });
    expect(challenged.all('www-authenticate').some((c) => c.startsWith('Basic '))).toBe(true);
    const ok = await rawRequest(tlsAcs.fsUrl, target, { tls: pki.client(), headers: { authorization: basic('phone-0002', 'pw-of-0002') } });
    expect(ok.status).toBe(200);
    expect(xmlValues(ok.body).Password_1_).toBe(SECRETS.Password_1_);
    const wrong = await rawRequest(tlsAcs.fsUrl, target, { tls: pki.client(), headers: { authorization: basic('phone-0003', 'pw-of-0003') } });
    expect(wrong.status).toBe(401);
    expectNoSecret(wrong);
  });

  it('serves the phone with its MIC-like certificate everything; a certificate of another MAC is refused', async () => {
    const own = await rawRequest(mtlsAcs.fsUrl, `/cisco/${victim.mac}.xml`, { tls: pki.client(pems.victim) });
    expect(own.status).toBe(200);
    expect(xmlValues(own.body)).toMatchObject(SECRETS);
    const byPath = await rawRequest(mtlsAcs.fsUrl, `/cisco/${victim.mac}.xml`, { tls: pki.client(pems.other) });
    expect(byPath.status).toBe(403);
    expect(byPath.body.toString()).toMatch(/another device than the client certificate/);
    expectNoSecret(byPath);
    const byAgent = await rawRequest(mtlsAcs.fsUrl, '/cisco/profile.xml', { tls: pki.client(pems.other), headers: { 'user-agent': ua(victim.mac) } });
    expect(byAgent.status).toBe(403);
    expectNoSecret(byAgent);
  });
});

describe('enumeration', () => {
  it('throttles 100 guesses from one address at the default budget, while a phone behind it still gets its profile', async () => {
    const budget = 50; // the documented default of ACS_FS_UNPROVEN_BUDGET
    const guessing = await startTestAcs({ ACS_REDIS_PREFIX: `guess-${randomBytes(4).toString('hex')}:` }, { roles: ['fs'], stores: acs.stores });
    try {
      const throttledBefore = await unprovenCount('throttled');
      const statuses: number[] = [];
      let last: RawResponse | undefined;
      for (let i = 0; i < 100; i++) {
        last = await rawRequest(guessing.fsUrl, `/cisco/00562bff${i.toString(16).padStart(4, '0')}.xml`);
        statuses.push(last.status);
      }
      expect(statuses.slice(0, budget)).toEqual(Array(budget).fill(404));
      expect(statuses.slice(budget)).toEqual(Array(100 - budget).fill(401));
      expect(last!.body.toString()).toMatch(/too many requests naming unknown devices or proving no identity/);
      expect((await unprovenCount('throttled')) - throttledBefore).toBe(100 - budget);
      // Known MACs and bogus proof get the same answer now: the source learns nothing more.
      const known = await rawRequest(guessing.fsUrl, `/cisco/${victim.mac}.xml`);
      expect(known.status).toBe(401);
      expectNoSecret(known);
      const bogus = await rawRequest(guessing.fsUrl, '/cisco/00562bffaaaa.xml', { headers: { authorization: basic('x', 'y') } });
      expect(bogus.status).toBe(401);
      expect(bogus.body.toString()).toMatch(/too many requests/);

      const token = new PhoneTokens(acs.ctx.secret, 86_400).issue(victim.id, { deviceKey: false });
      const phone = await rawRequest(guessing.fsUrl, `/cisco/${victim.mac}.xml?acs_token=${token}`);
      expect(phone.status).toBe(200);
      expect(xmlValues(phone.body)).toMatchObject(SECRETS);
      const target = `/cisco/${withCredentials.mac}.xml`;
      const challenge = await rawRequest(guessing.fsUrl, target);
      expect(challenge.status).toBe(401);
      const digest = answerChallenge(pickChallenge(challenge.all('www-authenticate'))!, { username: 'phone-0002', password: 'pw-of-0002', method: 'GET', uri: target });
      const answered = await rawRequest(guessing.fsUrl, target, { headers: { authorization: digest } });
      expect(answered.status).toBe(200);
    } finally {
      await guessing.close();
    }
  });
});

describe('policies', () => {
  it('ACS_FS_UNPROVEN_PROFILE=refuse challenges a stranger instead of serving without secrets', async () => {
    const refusing = await startTestAcs({ ACS_FS_UNPROVEN_PROFILE: 'refuse', ACS_FS_UNPROVEN_BUDGET: '1000' }, { roles: ['fs'], stores: acs.stores });
    try {
      const res = await rawRequest(refusing.fsUrl, `/cisco/${victim.mac}.xml`);
      expect(res.status).toBe(401);
      expect(res.all('www-authenticate').length).toBeGreaterThan(0);
      expectNoSecret(res);
    } finally {
      await refusing.close();
    }
  });

  it('ACS_FS_INSECURE_PHONE_CHANNEL=true restores the old behaviour and warns at start', async () => {
    const insecureLogs: Array<Record<string, unknown>> = [];
    const insecure = await startTestAcs({ ACS_FS_INSECURE_PHONE_CHANNEL: 'true' }, { roles: ['fs'], stores: acs.stores, logs: insecureLogs });
    try {
      expect(insecureLogs.find((l) => l.event === 'fs.insecure_phone_channel')).toMatchObject({ level: 40, msg: expect.stringMatching(/ACS_FS_INSECURE_PHONE_CHANNEL=true.*Labs only/) });
      const res = await rawRequest(insecure.fsUrl, `/cisco/${victim.mac}.xml`);
      expect(res.status).toBe(200);
      expect(xmlValues(res.body)).toMatchObject(SECRETS);
      expect(xmlValues(res.body).Profile_Rule).toBe(`http://${host}/cisco/$MA.xml`);
    } finally {
      await insecure.close();
    }
  });
});
