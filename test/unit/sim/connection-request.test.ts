import { request } from 'undici';
import { answerChallenge, parseDigestChallenge, pickChallenge, type DigestAlgorithm } from '../../../src/cwmp/auth/digest';
import { decodeEnvelope } from '../../../src/cwmp/soap';
import { ConnectionRequestListener, Fleet } from '../../../src/sim';
import { defaultConnectionRequestPassword } from '../../../src/sim/factory';
import { headerList } from '../../../src/sim/http/transport';
import { ScriptedPeer, methodOf, sessionScript, type Script } from './scripted-peer';

async function get(url: string, authorization?: string, method = 'GET') {
  const res = await request(url, { method: method as 'GET', headers: authorization ? { authorization } : {} });
  const body = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body };
}

/** The ACS side of a connection request: challenge, then answer it. */
async function connect(url: string, username: string, password: string, algorithm?: DigestAlgorithm) {
  const first = await get(url);
  expect(first.status).toBe(401);
  const challenges = headerList(first.headers['www-authenticate']);
  const challenge = algorithm ? challenges.map(parseDigestChallenge).find((c) => c?.algorithm === algorithm) : pickChallenge(challenges);
  if (!challenge) throw new Error(`no ${algorithm ?? ''} challenge in ${challenges.join(' | ')}`);
  const authorization = answerChallenge(challenge, { username, password, method: 'GET', uri: new URL(url).pathname });
  return { ...(await get(url, authorization)), authorization, challenge };
}

function fakeTarget(username = 'cr-user', password = 'cr-pass') {
  return {
    hits: 0,
    creds: { username, password },
    connectionRequestCredentials() {
      return this.creds;
    },
    connectionRequest() {
      this.hits += 1;
    },
  };
}

describe('ConnectionRequestListener', () => {
  let listener: ConnectionRequestListener;
  let now = 1_700_000_000_000;
  beforeEach(async () => {
    listener = new ConnectionRequestListener({ maxPerSecond: 2, nonceTtlMs: 30_000, clock: () => now });
    await listener.start();
  });
  afterEach(() => listener.close());

  it('gives each device a random path on loopback', () => {
    const a = listener.register(fakeTarget());
    const b = listener.register(fakeTarget());
    expect(a).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${listener.port}/[0-9a-f]{24}$`));
    expect(a).not.toBe(b);
  });

  it('answers 404 for an unknown path and 405 for other methods', async () => {
    const url = listener.register(fakeTarget());
    expect((await get(`${url}x`)).status).toBe(404);
    expect((await get(url, undefined, 'POST')).status).toBe(405);
    expect(listener.stats.notFound).toBe(1);
  });

  it('challenges with SHA-256 and MD5 Digest, and accepts either with the right credentials', async () => {
    const target = fakeTarget();
    const url = listener.register(target);
    const first = await get(url);
    const challenges = headerList(first.headers['www-authenticate']).map(parseDigestChallenge);
    expect(challenges.map((c) => [c?.algorithm, c?.qop])).toEqual([
      ['SHA-256', ['auth']],
      ['MD5', ['auth']],
    ]);
    for (const algorithm of ['SHA-256', 'MD5'] as const) {
      const res = await connect(url, 'cr-user', 'cr-pass', algorithm);
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
    }
    expect(target.hits).toBe(2);
  });

  it('refuses a wrong password, a wrong user and a replayed Authorization', async () => {
    const target = fakeTarget();
    const url = listener.register(target);
    expect((await connect(url, 'cr-user', 'nope')).status).toBe(401);
    expect((await connect(url, 'someone', 'cr-pass')).status).toBe(401);
    const good = await connect(url, 'cr-user', 'cr-pass');
    expect(good.status).toBe(200);
    expect((await get(url, good.authorization)).status).toBe(401);
    expect(target.hits).toBe(1);
  });

  it('uses the credentials current at the time of the request', async () => {
    const target = fakeTarget();
    const url = listener.register(target);
    target.creds = { username: 'cr-user', password: 'changed' };
    expect((await connect(url, 'cr-user', 'cr-pass')).status).toBe(401);
    expect((await connect(url, 'cr-user', 'changed')).status).toBe(200);
  });

  it('marks an expired nonce stale', async () => {
    const url = listener.register(fakeTarget());
    const first = await get(url);
    const challenge = pickChallenge(headerList(first.headers['www-authenticate']));
    if (!challenge) throw new Error('no challenge');
    now += 31_000;
    const res = await get(url, answerChallenge(challenge, { username: 'cr-user', password: 'cr-pass', method: 'GET', uri: new URL(url).pathname }));
    expect(res.status).toBe(401);
    expect(headerList(res.headers['www-authenticate']).map(parseDigestChallenge).every((c) => c?.stale)).toBe(true);
  });

  it('answers 503 beyond the per-second limit, and accepts again a second later', async () => {
    const target = fakeTarget();
    const url = listener.register(target);
    expect((await connect(url, 'cr-user', 'cr-pass')).status).toBe(200);
    expect((await connect(url, 'cr-user', 'cr-pass')).status).toBe(200);
    const limited = await connect(url, 'cr-user', 'cr-pass');
    expect(limited.status).toBe(503);
    expect(limited.headers['retry-after']).toBeUndefined();
    now += 1_000;
    expect((await connect(url, 'cr-user', 'cr-pass')).status).toBe(200);
    expect(target.hits).toBe(3);
    expect(listener.stats.rateLimited).toBe(1);
  });
});

describe('connection requests to a fleet', () => {
  let peer: ScriptedPeer;
  let fleet: Fleet;
  afterEach(async () => {
    await fleet.stop(100);
    await peer.close();
  });

  async function start(script: Script) {
    peer = await ScriptedPeer.start(script);
    fleet = new Fleet({ acsUrl: peer.url(), count: 2, retry: false, seed: 'cr-test' });
    await fleet.start();
  }

  it('starts a session with 6 CONNECTION REQUEST after answering 200', async () => {
    await start(sessionScript());
    const device = fleet.device(1);
    expect(device.connectionRequestUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${fleet.connectionRequestPort}/`));
    const session = device.nextSession();
    const res = await connect(device.connectionRequestUrl, device.serialNumber, defaultConnectionRequestPassword('cr-test', device.serialNumber));
    expect(res.status).toBe(200);
    const outcome = await session;
    expect(outcome).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT', '6 CONNECTION REQUEST'] });
    const inform = decodeEnvelope(peer.received[0].body).body;
    expect(inform).toMatchObject({ method: 'Inform', deviceId: { serialNumber: device.serialNumber } });
  });

  it('collapses requests that arrive while a session is pending into one more session', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = sessionScript();
    await start(async (req, i) => {
      if (i === 0) await held;
      return inner(req, i);
    });
    const device = fleet.device(0);
    const password = defaultConnectionRequestPassword('cr-test', device.serialNumber);
    const firstDone = device.nextSession();
    expect((await connect(device.connectionRequestUrl, device.serialNumber, password)).status).toBe(200);
    expect((await connect(device.connectionRequestUrl, device.serialNumber, password)).status).toBe(200);
    expect((await connect(device.connectionRequestUrl, device.serialNumber, password)).status).toBe(200);
    const secondDone = device.nextSession((o) => o.events.length === 1);
    release();
    expect((await firstDone).events).toEqual(['0 BOOTSTRAP', '1 BOOT', '6 CONNECTION REQUEST']);
    expect((await secondDone).events).toEqual(['6 CONNECTION REQUEST']);
    await device.idle();
    expect(peer.received.filter((r) => methodOf(r) === 'Inform')).toHaveLength(2);
  });
});
