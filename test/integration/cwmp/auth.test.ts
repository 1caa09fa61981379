import { request } from 'undici';
import { DeviceAuthenticator } from '../../../src/cwmp/auth/device-auth';
import { answerChallenge, NonceIssuer, parseDigestChallenge, pickChallenge } from '../../../src/cwmp/auth/digest';
import { AuthStore } from '../../../src/cwmp/session/store';
import { encodeEnvelope } from '../../../src/cwmp/soap';
import { deviceKey } from '../../../src/devices/id';
import { DeviceRepository } from '../../../src/devices/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { inform, ManualCpe } from '../../support/cwmp-client';
import { openTestStores, type TestStores } from '../../support/stores';

const NS = 'urn:dslforum-org:cwmp-1-2' as const;
const body = (serial: string) => encodeEnvelope({ namespace: NS, header: { id: '1' }, body: inform(serial) });
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

async function post(url: string, payload: string, headers: Record<string, string> = {}) {
  const res = await request(url, { method: 'POST', body: payload, headers: { 'content-type': 'text/xml', ...headers } });
  const text = await res.body.text();
  const www = res.headers['www-authenticate'];
  return { status: res.statusCode, text, challenges: Array.isArray(www) ? www : www ? [www] : [], headers: res.headers };
}

describe('Digest (default configuration)', () => {
  let acs: TestAcs;
  beforeAll(async () => {
    acs = await startTestAcs({ ACS_CWMP_AUTH_FAIL_LIMIT: '8' });
  });
  afterAll(async () => acs?.close());

  it('challenges with SHA-256 and MD5 and accepts either', async () => {
    const first = await post(acs.cwmpUrl, body('DIG1'));
    expect(first.status).toBe(401);
    expect(first.challenges.map((c) => parseDigestChallenge(c)?.algorithm)).toEqual(['SHA-256', 'MD5']);
    for (const header of first.challenges) {
      const authorization = answerChallenge(parseDigestChallenge(header)!, { username: CPE_USERNAME, password: CPE_PASSWORD, method: 'POST', uri: '/' });
      const ok = await post(acs.cwmpUrl, body(`DIG-${parseDigestChallenge(header)!.algorithm}`), { authorization });
      expect(ok.status).toBe(200);
      expect(ok.headers['set-cookie']).toMatch(/^session=[0-9a-f]{32}; Path=\/; HttpOnly$/);
      const cookie = String(ok.headers['set-cookie']).split(';')[0];
      // the session ends with 204 and the cookie is expired, so the next Inform carries none
      const done = await post(acs.cwmpUrl, '', { cookie });
      expect(done.status).toBe(204);
      expect(done.headers['set-cookie']).toBe('session=; Path=/; Max-Age=0; HttpOnly');
    }
  });

  it('refuses a replayed Authorization header (same nonce count)', async () => {
    const first = await post(acs.cwmpUrl, body('REPLAY'));
    const authorization = answerChallenge(pickChallenge(first.challenges)!, { username: CPE_USERNAME, password: CPE_PASSWORD, method: 'POST', uri: '/', nc: 1 });
    expect((await post(acs.cwmpUrl, body('REPLAY'), { authorization })).status).toBe(200);
    expect((await post(acs.cwmpUrl, body('REPLAY2'), { authorization })).status).toBe(401);
    const next = answerChallenge(pickChallenge(first.challenges)!, { username: CPE_USERNAME, password: CPE_PASSWORD, method: 'POST', uri: '/', nc: 2 });
    expect((await post(acs.cwmpUrl, body('REPLAY3'), { authorization: next })).status).toBe(200);
  });

  it('refuses wrong passwords, foreign nonces, another URI and Basic', async () => {
    const first = await post(acs.cwmpUrl, body('WRONG'));
    const challenge = pickChallenge(first.challenges)!;
    const cases = [
      answerChallenge(challenge, { username: CPE_USERNAME, password: 'nope', method: 'POST', uri: '/' }),
      answerChallenge({ ...challenge, nonce: new NonceIssuer(Buffer.alloc(32, 1), 60_000).issue() }, { username: CPE_USERNAME, password: CPE_PASSWORD, method: 'POST', uri: '/' }),
      answerChallenge(challenge, { username: CPE_USERNAME, password: CPE_PASSWORD, method: 'POST', uri: '/other' }),
      basic(CPE_USERNAME, CPE_PASSWORD),
    ];
    for (const authorization of cases) {
      const r = await post(acs.cwmpUrl, body('WRONG'), { authorization, 'x-forwarded-for': 'ignored' });
      expect(r.status).toBe(401);
      expect(r.challenges.length).toBeGreaterThan(0);
    }
  });

  it('rate-limits a source after repeated failures, even with right credentials', async () => {
    const cpe = new ManualCpe(acs.cwmpUrl, { username: CPE_USERNAME, password: 'bad' });
    for (let i = 0; i < 8; i++) await cpe.send(inform('BRUTE'));
    const good = new ManualCpe(acs.cwmpUrl, { username: CPE_USERNAME, password: CPE_PASSWORD });
    const r = await good.send(inform('VICTIM'));
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('60');
  });
});

describe('Basic, per-device credentials and unknown devices', () => {
  let acs: TestAcs;
  beforeAll(async () => {
    acs = await startTestAcs({ ACS_CWMP_AUTH: 'digest-or-basic', ACS_CWMP_ACCEPT_UNKNOWN: 'false' });
  });
  afterAll(async () => acs?.close());

  const id = deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'KNOWN1' });

  it('refuses an unknown device with 403 once it authenticated', async () => {
    const r = await post(acs.cwmpUrl, body('STRANGER'), { authorization: basic(CPE_USERNAME, CPE_PASSWORD) });
    expect(r.status).toBe(403);
    expect(await acs.stores.db.collection('devices').countDocuments()).toBe(0);
  });

  it('a pre-registered device with its own credential: only that credential works', async () => {
    const devices = new DeviceRepository(acs.stores.db);
    await acs.stores.db.collection('devices').insertOne({ _id: id as never, tags: [], taskQueue: [] });
    expect(await devices.setCredentials(id, { username: 'phone-1', password: 'own-secret' }, 'cwmp-acs')).toBe(true);
    expect((await post(acs.cwmpUrl, body('KNOWN1'), { authorization: basic(CPE_USERNAME, CPE_PASSWORD) })).status).toBe(401);
    expect((await post(acs.cwmpUrl, body('KNOWN1'), { authorization: basic('phone-1', 'own-secret') })).status).toBe(200);
    const stored = await acs.stores.db.collection('devices').findOne({ _id: id as never });
    expect(JSON.stringify(stored)).not.toContain('own-secret');
    // Digest with the device's credential passes authentication; the device is still in the
    // session the Basic login opened, hence 503 rather than 401.
    const digest = new ManualCpe(acs.cwmpUrl, { username: 'phone-1', password: 'own-secret' });
    expect((await digest.send(inform('KNOWN1'))).status).toBe(503);
  });
});

describe('nonce expiry', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await openTestStores();
  });
  afterAll(async () => stores?.close());

  it('answers a correct response to an expired nonce with a stale challenge, not a failure', async () => {
    const config = stores.config({ ACS_CWMP_USERNAME: 'u', ACS_CWMP_PASSWORD: 'p' }).cwmp;
    const store = new AuthStore(stores.redis, stores.redisPrefix);
    const auth = new DeviceAuthenticator(config, new NonceIssuer(Buffer.alloc(32, 3), 0), store);
    const challenge = parseDigestChallenge(auth.challenge()[0])!;
    await new Promise((r) => setTimeout(r, 5));
    const authorization = answerChallenge(challenge, { username: 'u', password: 'p', method: 'POST', uri: '/' });
    const verdict = await auth.verify({ authorization, method: 'POST', uri: '/', source: '192.0.2.1' }, undefined);
    expect(verdict).toMatchObject({ ok: false, status: 401, counted: false, reason: 'stale Digest nonce' });
    expect(parseDigestChallenge((verdict as { challenge: string[] }).challenge[0])!.stale).toBe(true);
    expect(await store.failures('192.0.2.1')).toBe(0);
  });
});
