import type Koa from 'koa';
import type { Actor, AnonymousActor } from '../../auth';
import { API_PREFIX } from '../openapi';
import { PRESESSION_COOKIE, SESSION_COOKIE } from '../principal';
import { notFound } from '../problem';
import { defineRoute, type RouteModule } from '../route';
import { OIDC_START_PATH, recordSignIn, setCookie } from './session';

/** Holds the id of the sign-in waiting for the provider; only the callback needs it. */
export const OIDC_COOKIE = 'acs_oidc';
const CALLBACK_PATH = '/session/oidc/callback';

/**
 * Single sign-on through the OpenID Connect provider (ACS_CONSOLE_OIDC_*). Both routes are
 * browser navigations, so they answer with redirects: to the provider, then back to the
 * console, either signed in (the same session cookie as a local sign-in) or at the sign-in
 * page with `?signin_error=<reason>` it explains.
 */
export const sessionOidcRoutes: RouteModule = (s) => [
  defineRoute({
    method: 'GET',
    path: OIDC_START_PATH,
    operationId: 'startOidcSignIn',
    summary: 'Sign in through the OpenID Connect provider: redirects there',
    description: `Public; a link, not a fetch. 303 to the provider's authorization endpoint (code flow, PKCE S256, state, nonce), with the cookie \`${OIDC_COOKIE}\` naming the waiting sign-in. 404 when single sign-on is not configured.`,
    tag: 'session',
    role: 'public',
    responses: { 303: { description: 'To the provider, or back to the sign-in page when it does not answer.' }, 404: { description: 'Single sign-on is not configured.' } },
    async handle({ koa }) {
      if (!s.oidc) throw notFound('single sign-on (ACS_CONSOLE_OIDC_ISSUER is not set)');
      try {
        const { url, pending } = await s.oidc.start();
        pendingCookie(koa, pending);
        return redirect(url.href);
      } catch (err) {
        s.log.warn({ event: 'oidc.discovery_failed', err: (err as Error).message }, 'the OpenID Connect provider does not answer');
        await recordSignIn(s, koa, { kind: 'anonymous', name: '(single sign-on)' }, 'session.login_failed', 503, { address: koa.ip, via: 'oidc', reason: 'provider-unavailable' });
        return redirect('/?signin_error=provider-unavailable');
      }
    },
  }),

  defineRoute<Record<string, never>, Record<string, string>>({
    method: 'GET',
    path: CALLBACK_PATH,
    operationId: 'finishOidcSignIn',
    summary: 'Where the OpenID Connect provider sends the browser back (the redirect URI)',
    description: `Public. Checks the waiting sign-in of \`${OIDC_COOKIE}\` (used once), the state, the code with the PKCE verifier, the ID token (signature, issuer, audience, expiry, nonce) and maps the role claim. 303 to / signed in, or to /?signin_error=<reason>. Every attempt is audited.`,
    tag: 'session',
    role: 'public',
    query: {
      type: 'object',
      properties: { code: { type: 'string' }, state: { type: 'string' }, error: { type: 'string' }, error_description: { type: 'string' } },
      additionalProperties: { type: 'string' },
    },
    responses: { 303: { description: 'To the console, signed in, or to its sign-in page with the reason.' }, 404: { description: 'Single sign-on is not configured.' } },
    async handle({ koa }) {
      if (!s.oidc) throw notFound('single sign-on (ACS_CONSOLE_OIDC_ISSUER is not set)');
      const pending = koa.cookies.get(OIDC_COOKIE);
      pendingCookie(koa, null);
      const callback = new URL(s.oidc.config.redirectUrl);
      callback.search = koa.querystring;
      const outcome = await s.oidc.finish(pending, callback);
      const address = koa.ip;
      if (!outcome.ok) {
        const tried: AnonymousActor = { kind: 'anonymous', name: outcome.subject ?? '(single sign-on)' };
        await recordSignIn(s, koa, tried, 'session.login_failed', 401, { address, via: 'oidc', reason: outcome.reason, detail: outcome.detail });
        return redirect(`/?signin_error=${outcome.reason}`);
      }
      const id = await s.sessions.createSso(outcome.name, { role: outcome.role, issuer: outcome.issuer, subject: outcome.subject });
      setCookie(koa, SESSION_COOKIE, id);
      setCookie(koa, PRESESSION_COOKIE, null);
      const actor: Actor = { kind: 'user', name: outcome.name, role: outcome.role };
      await recordSignIn(s, koa, actor, 'session.login', 200, { address, via: 'oidc', issuer: outcome.issuer, subject: outcome.subject });
      return redirect('/');
    },
  }),
];

function redirect(location: string) {
  return { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } };
}

/**
 * SameSite=Lax, not Strict: the provider's redirect back is a cross-site navigation, on which
 * a browser sends only Lax cookies. The cookie names nothing secret by itself.
 */
function pendingCookie(ctx: Koa.Context, value: string | null): void {
  ctx.cookies.set(OIDC_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: `${API_PREFIX}${OIDC_START_PATH}`, overwrite: true, maxAge: value ? 600_000 : undefined });
}
