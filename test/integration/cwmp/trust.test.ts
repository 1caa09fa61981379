import { request } from 'undici';
import { answerChallenge, parseDigestChallenge, pickChallenge } from '../../../src/cwmp/auth/digest';
import { AuthStore } from '../../../src/cwmp/session/store';
import { decodeEnvelope, encodeEnvelope } from '../../../src/cwmp/soap';
import type { CwmpMessage } from '../../../src/cwmp/soap/types';
import { deviceKey } from '../../../src/devices/id';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { inform } from '../../support/cwmp-client';

/**
 * Device-facing trust over real HTTP: correct passwords are never locked out, Digest headers
 * cannot be replayed, and a session cookie does not speak for its device from elsewhere. The
 * test process is the ACS's trusted proxy (127.0.0.1), so X-Forwarded-For places each client
 * at its own address.
 */
const NS = 'urn:dslforum-org:cwmp-1-2' as const;
const LIMIT = 3;
const idOf = (serial: string) => deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: serial });
const envelope = (body: CwmpMessage, id = 'cpe-1') => encodeEnvelope({ namespace: NS, header: { id }, body });

interface Reply {
  status: number;
  text: string;
  challenges: string[];
  cookie?: string;
}

/** One raw POST from `client` (its address, via the trusted proxy), exactly as given. */
async function post(acs: TestAcs, client: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await request(acs.cwmpUrl, { method: 'POST', body, headers: { 'content-type': 'text/xml', 'x-forwarded-for': client, ...headers } });
  const text = await res.body.text();
  const www = res.headers['www-authenticate'];
  const setCookie = String(res.headers['set-cookie'] ?? '');
  return { status: res.statusCode, text, challenges: Array.isArray(www) ? www : www ? [www] : [], cookie: /session=([0-9a-f]{32})/.exec(setCookie)?.[1] };
}

const digest = (challenges: string[], nc: number, password = CPE_PASSWORD) =>
  answerChallenge(pickChallenge(challenges)!, { username: CPE_USERNAME, password, method: 'POST', uri: '/', nc, cnonce: 'c0ffee' });

let acs: TestAcs;
let tasks: TaskRepository;
let auth: AuthStore;
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  acs = await startTestAcs({ ACS_CWMP_AUTH_FAIL_LIMIT: String(LIMIT), ACS_TRUSTED_PROXIES: '127.0.0.1/32' }, { logs });
  tasks = new TaskRepository(acs.stores.db);
  auth = new AuthStore(acs.stores.redis, acs.stores.redisPrefix);
});
afterAll(async () => acs?.close());

describe('correct passwords are never locked out', () => {
  it('a device reusing its cached nonce and count gets a stale challenge, not a counted failure', async () => {
    const site = '198.51.100.7';
    const first = await post(acs, site, envelope(inform('NAT1')));
    const cached = digest(first.challenges, 1);
    const opened = await post(acs, site, envelope(inform('NAT1')), { authorization: cached });
    expect(opened.status).toBe(200);
    expect((await post(acs, site, '', { cookie: `session=${opened.cookie}` })).status).toBe(204);

    for (let i = 0; i < LIMIT + 2; i++) {
      const reused = await post(acs, site, envelope(inform('NAT1')), { authorization: cached });
      expect(reused.status).toBe(401);
      expect(reused.challenges.map((c) => parseDigestChallenge(c)?.stale)).toContain(true);
      const again = await post(acs, site, envelope(inform('NAT1')), { authorization: digest(reused.challenges, 1) });
      expect(again.status).toBe(200);
      expect((await post(acs, site, '', { cookie: `session=${again.cookie}` })).status).toBe(204);
    }
    expect(await auth.failures(site)).toBe(0);
    // a neighbour behind the same address is challenged, never 429'd
    const neighbour = await post(acs, site, envelope(inform('NAT2')));
    expect(neighbour.status).toBe(401);
    expect((await post(acs, site, envelope(inform('NAT2')), { authorization: digest(neighbour.challenges, 1) })).status).toBe(200);
    expect(logs.filter((l) => l.event === 'cwmp.auth_stale' && l.source === site)).toHaveLength(LIMIT + 2);
    expect(JSON.stringify(logs)).not.toContain(CPE_PASSWORD);
  });

  it('wrong passwords still count, and are limited', async () => {
    const site = '198.51.100.8';
    for (let i = 0; i < LIMIT; i++) {
      const first = await post(acs, site, envelope(inform('BRUTE')));
      expect((await post(acs, site, envelope(inform('BRUTE')), { authorization: digest(first.challenges, 1, 'guess') })).status).toBe(401);
    }
    expect(await auth.failures(site)).toBe(LIMIT);
    expect((await post(acs, site, envelope(inform('BRUTE-OK')))).status).toBe(429);
    // another address is not affected
    expect((await post(acs, '198.51.100.9', envelope(inform('BRUTE-OK')))).status).toBe(401);
  });
});

/** Opens a session for `serial` from `client` with a queued task in flight; returns what it used. */
async function sessionWithTaskInFlight(client: string, serial: string) {
  const first = await post(acs, client, envelope(inform(serial)));
  const informed = await post(acs, client, envelope(inform(serial)), { authorization: digest(first.challenges, 1) });
  expect(informed.status).toBe(200);
  const cookie = `session=${informed.cookie}`;
  const task = await tasks.queue(idOf(serial), { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] });
  // the task was queued after the Inform: a second session picks it up
  expect((await post(acs, client, '', { cookie })).status).toBe(204);
  const next = await post(acs, client, envelope(inform(serial)), { authorization: digest(first.challenges, 2) });
  expect(next.status).toBe(200);
  const nextCookie = `session=${next.cookie}`;
  const inSession = digest(first.challenges, 3);
  const rpc = await post(acs, client, '', { cookie: nextCookie, authorization: inSession });
  expect(rpc.status).toBe(200);
  const request = decodeEnvelope(rpc.text);
  expect(request.body.method).toBe('GetParameterValues');
  return { cookie: nextCookie, inSession, rpcId: request.header.id!, taskId: task._id };
}

const uptime = (value: string): CwmpMessage => ({
  method: 'GetParameterValuesResponse',
  parameterList: [{ name: 'Device.DeviceInfo.UpTime', value, type: 'xsd:unsignedInt' }],
});

describe('no Digest replay', () => {
  it('an Authorization header captured inside a session never opens one', async () => {
    const phone = '203.0.113.10';
    const s = await sessionWithTaskInFlight(phone, 'REPLAYED');
    // the attacker replays the captured header on a new Inform, from the device's own address
    // (the worst case: a NAT neighbour) and from elsewhere
    for (const from of [phone, '203.0.113.66']) {
      const replay = await post(acs, from, envelope(inform('REPLAYED')), { authorization: s.inSession });
      expect(replay.status).toBe(401);
      expect(replay.challenges.length).toBeGreaterThan(0);
      expect(replay.cookie).toBeUndefined();
    }
    expect(await tasks.get(s.taskId)).toMatchObject({ status: 'sent' });
    // the real device's session carries on: its answer settles the task
    expect((await post(acs, phone, envelope(uptime('42'), s.rpcId), { cookie: s.cookie })).status).toBe(204);
    expect(await tasks.get(s.taskId)).toMatchObject({ status: 'done' });
    // and once that session is over, the header still opens nothing
    const after = await post(acs, phone, envelope(inform('REPLAYED')), { authorization: s.inSession });
    expect(after.status).toBe(401);
    expect(after.cookie).toBeUndefined();
    expect(await auth.failures(phone)).toBe(0);
  });
});

describe('no Digest replay, whatever the in-session request does', () => {
  // The count an in-session request was verified with is recorded by the session's next write,
  // or on its own when the request writes nothing: each path here is one of those.
  const paths: Array<[string, (cookie: string, authorization: string) => Promise<number>]> = [
    ['an empty POST that ends the session', (cookie, authorization) => post(acs, '203.0.113.40', '', { cookie, authorization }).then((r) => r.status)],
    ['a message the ACS refuses', (cookie, authorization) => post(acs, '203.0.113.40', envelope({ method: 'Reboot', commandKey: 'x' } as CwmpMessage), { cookie, authorization }).then((r) => r.status)],
  ];
  it.each(paths)('%s', async (_name, send) => {
    const phone = '203.0.113.40';
    const serial = `PATH-${Math.random().toString(16).slice(2, 8)}`;
    const first = await post(acs, phone, envelope(inform(serial)));
    const informed = await post(acs, phone, envelope(inform(serial)), { authorization: digest(first.challenges, 1) });
    expect(informed.status).toBe(200);
    const cookie = `session=${informed.cookie}`;
    const inSession = digest(first.challenges, 2);
    expect(await send(cookie, inSession)).toBeLessThan(600);
    const replay = await post(acs, '203.0.113.66', envelope(inform(serial)), { authorization: inSession });
    expect(replay.status).toBe(401);
    expect(replay.cookie).toBeUndefined();
    // the session that ended meanwhile: its 204 records the count too
    const ended = digest(first.challenges, 3);
    await post(acs, phone, '', { cookie, authorization: inSession });
    expect((await post(acs, phone, '', { cookie, authorization: ended })).status).toBe(204);
    expect((await post(acs, '203.0.113.66', envelope(inform(serial)), { authorization: ended })).status).toBe(401);
  });
});

describe('credentials inside a session', () => {
  it('a wrong password is refused (401, counted) and leaves the session and its task as they were', async () => {
    const phone = '203.0.113.30';
    const s = await sessionWithTaskInFlight(phone, 'INSESSION');
    const first = await post(acs, phone, envelope(inform('OTHER-PHONE')));
    const wrong = await post(acs, phone, envelope(uptime('666'), s.rpcId), { cookie: s.cookie, authorization: digest(first.challenges, 1, 'guess') });
    expect(wrong.status).toBe(401);
    expect(await auth.failures(phone)).toBe(1);
    expect(await tasks.get(s.taskId)).toMatchObject({ status: 'sent' });
    // the device resending the header it already used is not refused: the session speaks for it
    expect((await post(acs, phone, envelope(uptime('42'), s.rpcId), { cookie: s.cookie, authorization: s.inSession })).status).toBe(204);
    expect((await tasks.get(s.taskId))?.result).toMatchObject({ parameterList: [{ value: 42 }] });
  });
});

describe('session binding', () => {
  it("a cookie from another address is refused with 403 and leaves the session and its task untouched", async () => {
    const phone = '203.0.113.20';
    const s = await sessionWithTaskInFlight(phone, 'HIJACKED');
    const before = logs.length;
    for (const body of [envelope(uptime('666'), s.rpcId), '']) {
      const hijack = await post(acs, '203.0.113.99', body, { cookie: s.cookie });
      expect(hijack.status).toBe(403);
    }
    const refusals = logs.slice(before).filter((l) => l.event === 'cwmp.session_mismatch');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ source: '203.0.113.99', deviceId: idOf('HIJACKED') });
    expect(JSON.stringify(refusals)).not.toContain(s.cookie.slice(8));
    expect(await tasks.get(s.taskId)).toMatchObject({ status: 'sent' });
    expect((await post(acs, phone, envelope(uptime('42'), s.rpcId), { cookie: s.cookie })).status).toBe(204);
    const settled = await tasks.get(s.taskId);
    expect(settled).toMatchObject({ status: 'done' });
    expect(settled?.result).toMatchObject({ parameterList: [{ value: 42 }] });
    expect(JSON.stringify(settled)).not.toContain('666');
  });

  it('the client address is the one the trusted proxy reports', async () => {
    const first = await post(acs, '192.0.2.44', envelope(inform('PROXIED')));
    expect((await post(acs, '192.0.2.44', envelope(inform('PROXIED')), { authorization: digest(first.challenges, 1) })).status).toBe(200);
    const device = await acs.stores.db.collection('devices').findOne({ _id: idOf('PROXIED') as never });
    expect(device?.remoteAddress).toBe('192.0.2.44');
  });
});

describe('X-Forwarded-For from an untrusted peer', () => {
  let direct: TestAcs;
  beforeAll(async () => {
    direct = await startTestAcs({ ACS_CWMP_AUTH_FAIL_LIMIT: String(LIMIT) }, { stores: acs.stores });
  });
  afterAll(async () => direct?.close());

  it('is ignored: the peer stays the client, for addresses, limits and sessions', async () => {
    const spoof = (client: string, body: string, headers: Record<string, string> = {}) => post(direct, client, body, headers);
    const first = await spoof('192.0.2.50', envelope(inform('SPOOF')));
    const opened = await spoof('192.0.2.50', envelope(inform('SPOOF')), { authorization: digest(first.challenges, 1) });
    expect(opened.status).toBe(200);
    const device = await acs.stores.db.collection('devices').findOne({ _id: idOf('SPOOF') as never });
    expect(device?.remoteAddress).toBe('127.0.0.1');
    // another spoofed address is still the same peer: the session goes on
    expect((await spoof('192.0.2.51', '', { cookie: `session=${opened.cookie}` })).status).toBe(204);
    const bad = await spoof('192.0.2.52', envelope(inform('SPOOF')));
    await spoof('192.0.2.52', envelope(inform('SPOOF')), { authorization: digest(bad.challenges, 1, 'guess') });
    expect(await auth.failures('192.0.2.52')).toBe(0);
    expect(await auth.failures('127.0.0.1')).toBe(1);
  });
});
