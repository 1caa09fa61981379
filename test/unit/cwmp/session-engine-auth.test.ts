import { pickChallenge } from '../../../src/cwmp/auth/digest';
import { engineOn, TestCpe, USER } from './session-engine-harness';

/** SessionEngine, authentication: Digest challenge, wrong passwords, replays, the lockout. */

const DIGEST = { ACS_CWMP_AUTH: 'digest', ACS_CWMP_USERNAME: USER.username, ACS_CWMP_PASSWORD: USER.password, ACS_CWMP_AUTH_FAIL_LIMIT: '3' };

function digestEngine() {
  const h = engineOn({ env: DIGEST });
  const cpe = new TestCpe(h);
  cpe.credentials = USER;
  return { h, cpe };
}

/** Three Informs with a wrong password, one attempt each (the first earns the challenge). */
async function failThrice(cpe: TestCpe): Promise<void> {
  cpe.credentials = { ...USER, password: 'wrong' };
  expect((await cpe.inform()).reply.status).toBe(401);
  for (let i = 0; i < 2; i++) expect((await cpe.post(cpe.envelope(cpe.device.buildInform()), { sessionId: undefined })).reply.status).toBe(401);
  expect(await cpe.h.authState.failures(cpe.source)).toBe(3);
}

describe('SessionEngine: authentication', () => {
  it('challenges an Inform without credentials with Digest, without reading it or opening a session', async () => {
    const { h, cpe } = digestEngine();
    cpe.credentials = undefined;
    const answer = await cpe.inform();
    expect(answer.reply.status).toBe(401);
    const challenges = [answer.reply.headers!['WWW-Authenticate']].flat();
    expect(pickChallenge(challenges)).toMatchObject({ realm: h.config.cwmp.realm, algorithm: 'SHA-256' });
    expect(answer.reply.setSession).toBeUndefined();
    expect(await h.devices.get(cpe.id)).toBeNull();
    expect(await h.authState.failures(cpe.source)).toBe(0);
  });

  it('opens a session for the right Digest response and binds it to the username', async () => {
    const { h, cpe } = digestEngine();
    const answer = await cpe.inform();
    expect(answer.message?.method).toBe('InformResponse');
    expect(await h.sessions.load(cpe.cookie!)).toMatchObject({ identity: { username: USER.username } });
    expect((await cpe.empty()).reply.status).toBe(204);
  });

  it('refuses a wrong password with a fresh challenge and counts it against the source', async () => {
    const { h, cpe } = digestEngine();
    cpe.credentials = { ...USER, password: 'wrong' };
    const answer = await cpe.inform();
    expect(answer.reply.status).toBe(401);
    expect(answer.reply.setSession).toBeUndefined();
    expect(await h.authState.failures(cpe.source)).toBe(1);
    expect(await h.devices.get(cpe.id)).toBeNull();
  });

  it('refuses a replayed Authorization header as stale, without counting it', async () => {
    const { h, cpe } = digestEngine();
    await cpe.inform();
    await cpe.empty();
    const replayed = cpe.authorization();
    const body = cpe.envelope(cpe.device.buildInform());
    expect((await cpe.post(body, { sessionId: undefined, authorization: replayed })).message?.method).toBe('InformResponse');
    await cpe.empty();
    const again = await cpe.post(body, { sessionId: undefined, authorization: replayed });
    expect(again.reply.status).toBe(401);
    expect(pickChallenge([again.reply.headers!['WWW-Authenticate']].flat())?.stale).toBe(true);
    expect(await h.authState.failures(cpe.source)).toBe(0);
  });

  it('locks out a source after the failure limit, even with the right password; other sources still get in', async () => {
    const { h, cpe } = digestEngine();
    await failThrice(cpe);
    cpe.credentials = USER;
    const blocked = await cpe.inform();
    expect(blocked.reply).toMatchObject({ status: 429, close: true });
    expect(blocked.reply.headers?.['Retry-After']).toBe(String(h.config.cwmp.authFailWindowSeconds));
    const elsewhere = new TestCpe(h, cpe.device);
    elsewhere.credentials = USER;
    elsewhere.source = '192.0.2.99';
    expect((await elsewhere.inform()).message?.method).toBe('InformResponse');
  });

  it('never locks out a device that proves its password with nonces it cannot reuse', async () => {
    const { cpe } = digestEngine();
    await cpe.inform();
    await cpe.empty();
    const replayed = cpe.authorization();
    const body = cpe.envelope(cpe.device.buildInform());
    await cpe.post(body, { sessionId: undefined, authorization: replayed });
    await cpe.empty();
    for (let i = 0; i < 5; i++) expect((await cpe.post(body, { sessionId: undefined, authorization: replayed })).reply.status).toBe(401);
    expect((await cpe.inform()).message?.method).toBe('InformResponse');
  });

  it('lets the lockout end with its window', async () => {
    const { h, cpe } = digestEngine();
    await failThrice(cpe);
    cpe.credentials = USER;
    expect((await cpe.inform()).reply.status).toBe(429);
    h.clock.advance(h.config.cwmp.authFailWindowSeconds * 1000 + 1000);
    // DeviceAuthenticator reuses a source's count read for up to a second of real time.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await cpe.inform()).message?.method).toBe('InformResponse');
  });

  it('checks a device with its own credential against that one, not the global one', async () => {
    const { h, cpe } = digestEngine();
    await cpe.session();
    await h.devices.setCredentials(cpe.id, { username: 'own', password: 'own password' }, h.config.cwmp.realm);
    expect((await cpe.inform()).reply.status).toBe(401);
    cpe.credentials = { username: 'own', password: 'own password' };
    const answer = await cpe.inform();
    expect(answer.message?.method).toBe('InformResponse');
    expect(await h.sessions.load(cpe.cookie!)).toMatchObject({ identity: { username: 'own', ownCredential: true } });
  });

  it("records an in-session request's nonce count even when the session write that carried it failed", async () => {
    const { h, cpe } = digestEngine();
    await cpe.inform();
    const header = cpe.authorization()!;
    const end = h.sessions.end.bind(h.sessions);
    let failures = 0;
    h.sessions.end = async (...args) => {
      if (failures++ === 0) throw new Error('Redis went away');
      return end(...args);
    };
    expect((await cpe.post('', { authorization: header })).reply.status).toBe(500);
    // the header seen in that session opens nothing
    const again = await cpe.post(cpe.envelope(cpe.device.buildInform()), { sessionId: undefined, authorization: header });
    expect(again.reply.status).toBe(401);
    expect(await h.authState.failures(cpe.source)).toBe(0);
  });

  it('refuses a request of the session with a wrong password (401), and keeps the session', async () => {
    const { h, cpe } = digestEngine();
    await cpe.inform();
    const cookie = cpe.cookie!;
    cpe.credentials = { ...USER, password: 'wrong' };
    expect((await cpe.empty()).reply.status).toBe(401);
    cpe.credentials = USER;
    expect((await cpe.empty()).reply.status).toBe(204);
    expect(await h.sessions.load(cookie)).toMatchObject({ phase: 'ended' });
  });
});
