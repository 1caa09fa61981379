import { createHash } from 'node:crypto';
import { redisKeys } from '../../../src/stores/redis-keys';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually } from '../../support/api';
import { ConsoleBrowser, createUser, signedIn, TEST_PASSWORD } from '../../support/console';

/** Console sign-in over real HTTP on real stores: cookies, CSRF, expiry, lockout, audit. */
let acs: TestAcs;
const LIMIT = 3;

beforeAll(async () => {
  acs = await startTestAcs({ ACS_CONSOLE_LOGIN_FAIL_LIMIT: String(LIMIT), ACS_CONSOLE_SESSION_IDLE: '600' }, { roles: ['api'] });
});
afterAll(async () => acs?.close());

const sessionKey = (id: string) => redisKeys(acs.stores.redisPrefix).console.session(createHash('sha256').update(id).digest('base64url'));
const auditOf = async (action: string) => acs.stores.db.collection('audit').find({ action }).sort({ _id: -1 }).toArray();
const cookieLine = (reply: { headers: Record<string, unknown> }, name: string) =>
  [reply.headers['set-cookie'] ?? []].flat().map(String).find((l) => l.startsWith(`${name}=`));

it('before sign-in: no user, a CSRF token and an HttpOnly SameSite=Strict pre-session cookie', async () => {
  const browser = new ConsoleBrowser(acs);
  const r = await browser.session();
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ user: null, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  const line = cookieLine(r, 'acs_presession')!;
  expect(line).toMatch(/; path=\//i);
  expect(line).toMatch(/; samesite=strict/i);
  expect(line).toMatch(/; httponly/i);
  expect(line).not.toMatch(/; secure/i);
  // the same pre-session keeps its token
  expect((await browser.session()).body.csrfToken).toBe(r.body.csrfToken);
});

it('signs in with the right password: session cookie, user, and the API through the cookie', async () => {
  await createUser(acs, 'operator', 'alice');
  const browser = new ConsoleBrowser(acs);
  const r = await browser.signIn('alice', TEST_PASSWORD);
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ user: { name: 'alice', role: 'operator' }, csrfToken: expect.any(String) });
  const line = cookieLine(r, 'acs_session')!;
  expect(line).toMatch(/^acs_session=[A-Za-z0-9_-]{43}; path=\/; samesite=strict; httponly$/i);
  expect(browser.cookies.has('acs_presession')).toBe(false);
  expect((await browser.session()).body).toEqual({ user: { name: 'alice', role: 'operator' }, csrfToken: r.body.csrfToken });
  expect((await browser.call('GET', '/devices')).status).toBe(200);
  const [login] = await auditOf('session.login');
  expect(login).toMatchObject({ actor: { kind: 'user', name: 'alice', role: 'operator' }, status: 200, target: 'alice', details: { address: expect.any(String) } });
  // the session id is stored hashed in Redis, with the idle expiry as its TTL
  const id = browser.cookies.get('acs_session')!;
  expect(await acs.stores.redis.exists(redisKeys(acs.stores.redisPrefix).console.session(id))).toBe(0);
  const ttl = await acs.stores.redis.ttl(sessionKey(id));
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(600);
});

it('refuses a wrong password and an unknown name alike, audited and counted', async () => {
  await createUser(acs, 'viewer', 'bob');
  const browser = new ConsoleBrowser(acs);
  const wrong = await browser.signIn('bob', 'not the password at all');
  const unknown = await browser.signIn('nobody-here', 'not the password at all');
  expect(wrong.status).toBe(401);
  expect(unknown.status).toBe(401);
  expect(unknown.body.detail).toBe(wrong.body.detail);
  expect(unknown.body.type).toBe(wrong.body.type);
  expect(browser.cookies.has('acs_session')).toBe(false);
  const failures = await auditOf('session.login_failed');
  expect(failures.find((f) => f.actor.name === 'bob')).toMatchObject({ actor: { kind: 'anonymous' }, status: 401, details: { reason: 'wrong-password' } });
  expect(failures.find((f) => f.actor.name === 'nobody-here')).toMatchObject({ details: { reason: 'unknown-user' } });
  expect(JSON.stringify(failures)).not.toContain('not the password at all');
});

it('locks a name out after repeated failures with 429, existing or not, and the right password too', async () => {
  await createUser(acs, 'viewer', 'carol');
  const browser = new ConsoleBrowser(acs);
  for (const name of ['carol', 'ghost']) {
    for (let i = 0; i < LIMIT; i += 1) expect((await browser.signIn(name, 'wrong-password-here')).status).toBe(401);
    const locked = await browser.signIn(name, name === 'carol' ? TEST_PASSWORD : 'wrong-password-here');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body.detail).toBe('too many failed sign-ins; try again later');
  }
  expect((await auditOf('session.login_locked')).map((a) => a.actor.name).sort()).toEqual(['carol', 'ghost']);
  // other names from the same address are not locked by these
  await createUser(acs, 'viewer', 'dave');
  expect((await new ConsoleBrowser(acs).signIn('dave', TEST_PASSWORD)).status).toBe(200);
});

it('locks a source address out after repeated failures across names', async () => {
  const other = await startTestAcs({ ACS_CONSOLE_LOGIN_FAIL_IP_LIMIT: '2', ACS_CONSOLE_LOGIN_FAIL_LIMIT: '50' }, { roles: ['api'] });
  try {
    await createUser(other, 'viewer', 'erin');
    const browser = new ConsoleBrowser(other);
    expect((await browser.signIn('x1', 'wrong-password-here')).status).toBe(401);
    expect((await browser.signIn('x2', 'wrong-password-here')).status).toBe(401);
    expect((await browser.signIn('erin', TEST_PASSWORD)).status).toBe(429);
  } finally {
    await other.close();
  }
});

it('refuses a sign-in without, or with a wrong, CSRF token or pre-session cookie', async () => {
  await createUser(acs, 'viewer', 'frank');
  const browser = new ConsoleBrowser(acs);
  await browser.session();
  const missing = await browser.call('POST', '/session', { body: { name: 'frank', password: TEST_PASSWORD }, csrf: false });
  expect(missing.status).toBe(403);
  expect(missing.body.type).toBe('urn:cwmp-acs:problem:csrf');
  expect((await browser.call('POST', '/session', { body: { name: 'frank', password: TEST_PASSWORD }, csrf: 'A'.repeat(43) })).status).toBe(403);
  const noCookie = new ConsoleBrowser(acs);
  expect((await noCookie.call('POST', '/session', { body: { name: 'frank', password: TEST_PASSWORD }, csrf: browser.csrf })).status).toBe(403);
  expect((await browser.call('POST', '/session', { body: { name: 'frank', password: TEST_PASSWORD } })).status).toBe(200);
});

it('needs the CSRF token on every signed-in change; GETs and Bearer tokens need none', async () => {
  const browser = await signedIn(acs, 'operator', 'grace');
  const body = { rpc: { method: 'Reboot' } };
  const without = await browser.call('POST', '/devices/000000-X-NONE/tasks', { body, csrf: false });
  expect(without.status).toBe(403);
  expect(without.body.type).toBe('urn:cwmp-acs:problem:csrf');
  expect((await browser.call('POST', '/devices/000000-X-NONE/tasks', { body, csrf: 'forged-token' })).status).toBe(403);
  // with the token the request gets past authentication (the device does not exist)
  expect((await browser.call('POST', '/devices/000000-X-NONE/tasks', { body })).status).toBe(404);
  expect((await browser.call('GET', '/devices', { csrf: false })).status).toBe(200);
  const token = await acs.token('operator');
  expect((await apiClient(acs, token).post('/devices/000000-X-NONE/tasks', body)).status).toBe(404);
});

it('a viewer signed in is refused an operator route, naming the role needed', async () => {
  const browser = await signedIn(acs, 'viewer', 'heidi');
  const r = await browser.call('POST', '/devices/000000-X-NONE/tasks', { body: { rpc: { method: 'Reboot' } } });
  expect(r.status).toBe(403);
  expect(r.body.detail).toBe('createTask needs role operator; user "heidi" has role viewer');
});

it('refuses forged and malformed cookies with 401; GET /session clears them', async () => {
  for (const value of ['A'.repeat(43), 'not-a-session', '']) {
    const browser = new ConsoleBrowser(acs);
    browser.cookies.set('acs_session', value || '""');
    const r = await browser.call('GET', '/devices');
    expect({ value, status: r.status }).toEqual({ value, status: 401 });
  }
  const browser = new ConsoleBrowser(acs);
  browser.cookies.set('acs_session', 'B'.repeat(43));
  const s = await browser.session();
  expect(s.body.user).toBeNull();
  expect(browser.cookies.has('acs_session')).toBe(false);
});

it('ends sessions after the idle time and after the absolute lifetime', async () => {
  const idle = await signedIn(acs, 'viewer', 'ivan');
  const idleKey = sessionKey(idle.cookies.get('acs_session')!);
  // the idle expiry is the key's TTL: each request renews it
  await acs.stores.redis.expire(idleKey, 5);
  expect((await idle.call('GET', '/devices')).status).toBe(200);
  expect(await acs.stores.redis.ttl(idleKey)).toBeGreaterThan(5);
  // ... and when it runs out, Redis forgets the session
  await acs.stores.redis.pexpire(idleKey, 1);
  await eventually(() => acs.stores.redis.exists(idleKey), (n) => n === 0, 5000, 20);
  const expired = await idle.call('GET', '/devices');
  expect(expired.status).toBe(401);
  expect(expired.body.detail).toMatch(/expired; sign in again/);

  const old = await signedIn(acs, 'viewer', 'judy');
  const oldKey = sessionKey(old.cookies.get('acs_session')!);
  const record = JSON.parse((await acs.stores.redis.get(oldKey))!);
  record.createdAt -= 43_200_000 + 1000; // signed in longer ago than ACS_CONSOLE_SESSION_MAX
  await acs.stores.redis.set(oldKey, JSON.stringify(record), 'KEEPTTL');
  expect((await old.call('GET', '/devices')).status).toBe(401);
  expect(await acs.stores.redis.exists(oldKey)).toBe(0);
});

it('signs out: CSRF needed, the cookie cleared, the session dead, audited', async () => {
  const browser = await signedIn(acs, 'viewer', 'ken');
  const cookie = browser.cookies.get('acs_session')!;
  expect((await browser.call('DELETE', '/session', { csrf: false })).status).toBe(403);
  const out = await browser.call('DELETE', '/session');
  expect(out.status).toBe(204);
  expect(browser.cookies.has('acs_session')).toBe(false);
  const replay = new ConsoleBrowser(acs);
  replay.cookies.set('acs_session', cookie);
  expect((await replay.call('GET', '/devices')).status).toBe(401);
  const [logout] = await auditOf('session.logout');
  expect(logout).toMatchObject({ actor: { kind: 'user', name: 'ken' }, status: 204 });
});

it('disabling a user or resetting their password ends their sessions at once', async () => {
  const admin = await signedIn(acs, 'admin', 'root-admin');
  const user = await signedIn(acs, 'operator', 'liz');
  expect((await admin.call('PATCH', '/users/liz', { body: { disabled: true } })).body).toMatchObject({ name: 'liz', disabled: true });
  expect((await user.call('GET', '/devices')).status).toBe(401);
  expect((await new ConsoleBrowser(acs).signIn('liz', TEST_PASSWORD)).status).toBe(401);
  expect((await admin.call('PATCH', '/users/liz', { body: { disabled: false } })).status).toBe(200);
  const again = await new ConsoleBrowser(acs);
  expect((await again.signIn('liz', TEST_PASSWORD)).status).toBe(200);
  const reset = await admin.call('POST', '/users/liz/password');
  expect(reset.status).toBe(200);
  expect((await again.call('GET', '/devices')).status).toBe(401);
  expect((await new ConsoleBrowser(acs).signIn('liz', reset.body.password)).status).toBe(200);
  // a role change applies to the next request of a live session
  const live = await new ConsoleBrowser(acs);
  await live.signIn('liz', reset.body.password);
  await admin.call('PATCH', '/users/liz', { body: { role: 'viewer' } });
  expect((await live.session()).body.user).toEqual({ name: 'liz', role: 'viewer' });
});
