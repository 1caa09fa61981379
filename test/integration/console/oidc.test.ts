import { createHash } from 'node:crypto';
import { redisKeys } from '../../../src/stores/redis-keys';
import type { TestAcs } from '../../support/acs';
import { ConsoleBrowser } from '../../support/console';
import { CookieJar, follow, hop, OIDC_CLIENT_ID, startSsoAcs, type SsoAcs, type TestOidcProvider } from '../../support/oidc';

/**
 * Console single sign-on against a real OpenID Connect provider (`oidc-provider`, in its own
 * process on loopback): the ACS's side of the code flow with PKCE, state, nonce and the
 * role claim, each check shown to refuse what it should.
 */
let sso: SsoAcs;
let provider: TestOidcProvider;
let acs: TestAcs;
let callbackUrl: string;

const ACCOUNTS = {
  alice: { preferred_username: 'alice', email: 'alice@example.test', groups: ['staff', 'acs-admins'] },
  bob: { preferred_username: 'bob', groups: ['staff'] },
  carol: { preferred_username: 'carol' },
  dave: { preferred_username: 'dave', groups: ['marketing'] },
};

beforeAll(async () => {
  sso = await startSsoAcs(ACCOUNTS, ['api']);
  ({ acs, provider, callbackUrl } = sso);
}, 60_000);
afterAll(async () => sso?.close());

const auditOf = (action: string) => acs.stores.db.collection('audit').find({ action, 'details.via': 'oidc' }).sort({ _id: -1 }).toArray();

/** Starts a sign-in at the ACS: the provider's authorization URL it redirects to. */
async function start(jar: CookieJar): Promise<URL> {
  const r = await hop(jar, `${acs.apiUrl}/api/v1/session/oidc`);
  expect(r.status).toBe(303);
  return new URL(r.location!);
}

/** Logs in at the provider as `account`: the redirect back to the ACS (not yet followed). */
async function atProvider(jar: CookieJar, authorization: URL, account: string): Promise<string> {
  const { url: interaction } = await follow(jar, authorization.href);
  expect(interaction).toMatch(/\/interaction\//);
  const submitted = await hop(jar, interaction, { login: account });
  expect(submitted.status).toBe(303);
  const { url } = await follow(jar, submitted.location!, callbackUrl);
  return url;
}

/** The ACS's answer to the provider's redirect back: where it sends the browser, and the session it holds then. */
async function back(jar: CookieJar, callback: string) {
  const r = await hop(jar, callback);
  expect(r.status).toBe(303);
  const browser = new ConsoleBrowser(acs);
  const session = jar.get(new URL(acs.apiUrl).origin, 'acs_session');
  if (session) browser.cookies.set('acs_session', session);
  return { location: new URL(r.location!), session: await browser.session(), browser };
}

it('offers the provider on the sign-in page', async () => {
  const r = await new ConsoleBrowser(acs).session();
  expect(r.body.sso).toEqual({ name: 'Test IdP', url: '/api/v1/session/oidc' });
});

it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
  const url = await start(new CookieJar());
  expect(url.origin).toBe(provider.issuer);
  const p = url.searchParams;
  expect(p.get('response_type')).toBe('code');
  expect(p.get('client_id')).toBe(OIDC_CLIENT_ID);
  expect(p.get('redirect_uri')).toBe(callbackUrl);
  expect(p.get('code_challenge_method')).toBe('S256');
  expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  expect(p.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  expect(p.get('scope')).toBe('openid profile email');
});

it('signs in through the provider: the strongest mapped role, the same cookie session, audited', async () => {
  const jar = new CookieJar();
  const { location, session, browser } = await back(jar, await atProvider(jar, await start(jar), 'alice'));
  expect(location.pathname).toBe('/');
  expect(location.search).toBe('');
  expect(session.body.user).toEqual({ name: 'alice', role: 'admin' });
  // kept like a local session: hashed id in Redis, the idle expiry (ACS_CONSOLE_SESSION_IDLE, 1800 s by default) as TTL
  const id = browser.cookies.get('acs_session')!;
  const ttl = await acs.ctx.redis.ttl(redisKeys(acs.stores.redisPrefix).console.session(createHash('sha256').update(id).digest('base64url')));
  expect(ttl).toBeGreaterThan(1700);
  expect(ttl).toBeLessThanOrEqual(1800);
  // the session works for the API like a local one, admin routes included, and CSRF applies
  expect((await browser.call('GET', '/users')).status).toBe(200);
  expect((await browser.call('DELETE', '/session', { csrf: false })).status).toBe(403);
  const [login] = await auditOf('session.login');
  expect(login).toMatchObject({ actor: { kind: 'user', name: 'alice', role: 'admin' }, details: { via: 'oidc', issuer: provider.issuer, subject: 'alice' } });
  // signing out ends it as it ends a local session
  expect((await browser.call('DELETE', '/session')).status).toBe(204);
  expect((await browser.session()).body.user).toBeNull();
});

it('maps a lesser group to a lesser role', async () => {
  const jar = new CookieJar();
  const { session, browser } = await back(jar, await atProvider(jar, await start(jar), 'bob'));
  expect(session.body.user).toEqual({ name: 'bob', role: 'viewer' });
  expect((await browser.call('GET', '/users')).status).toBe(403);
});

it.each([
  ['carol', 'has no groups claim'],
  ['dave', 'has only groups the map does not know'],
])('refuses %s, who %s: no role, no session', async (account) => {
  const jar = new CookieJar();
  const { location, session } = await back(jar, await atProvider(jar, await start(jar), account));
  expect(location.pathname).toBe('/');
  expect(location.searchParams.get('signin_error')).toBe('no-role');
  expect(session.body.user).toBeNull();
  const [failed] = await auditOf('session.login_failed');
  expect(failed).toMatchObject({ actor: { kind: 'anonymous', name: account }, details: { reason: 'no-role' } });
});

it('refuses a return whose state is not the one sent', async () => {
  const jar = new CookieJar();
  const callback = new URL(await atProvider(jar, await start(jar), 'alice'));
  callback.searchParams.set('state', 'forged-state-value-forged-state-value');
  const { location, session } = await back(jar, callback.href);
  expect(location.searchParams.get('signin_error')).toBe('state');
  expect(session.body.user).toBeNull();
  expect((await auditOf('session.login_failed'))[0]).toMatchObject({ details: { reason: 'state' } });
});

it('refuses an ID token whose nonce is not the one sent (an authorization request tampered with)', async () => {
  const jar = new CookieJar();
  const authorization = await start(jar);
  authorization.searchParams.set('nonce', 'a-nonce-the-acs-never-sent-a-nonce-the-acs');
  const { location, session } = await back(jar, await atProvider(jar, authorization, 'alice'));
  expect(location.searchParams.get('signin_error')).toBe('nonce');
  expect(session.body.user).toBeNull();
  expect((await auditOf('session.login_failed'))[0]).toMatchObject({ details: { reason: 'nonce' } });
});

it('refuses a return from another browser (no waiting sign-in) and a replayed one', async () => {
  const jar = new CookieJar();
  const callback = await atProvider(jar, await start(jar), 'alice');
  const stranger = await back(new CookieJar(), callback);
  expect(stranger.location.searchParams.get('signin_error')).toBe('no-pending-login');
  expect(stranger.session.body.user).toBeNull();
  // the rightful browser still signs in once; the same return again finds nothing waiting
  const first = await back(jar, callback);
  expect(first.session.body.user).toEqual({ name: 'alice', role: 'admin' });
  jar.keep(new URL(acs.apiUrl), 'acs_oidc=stolen-copy-of-the-cookie-value');
  const again = await back(jar, callback);
  expect(again.location.searchParams.get('signin_error')).toBe('no-pending-login');
});

it('refuses a provider error (the person declined) with its reason', async () => {
  const jar = new CookieJar();
  const authorization = await start(jar);
  const state = authorization.searchParams.get('state')!;
  const { location } = await back(jar, `${callbackUrl}?error=access_denied&error_description=declined&state=${state}&iss=${encodeURIComponent(provider.issuer)}`);
  expect(location.searchParams.get('signin_error')).toBe('provider-error');
});
