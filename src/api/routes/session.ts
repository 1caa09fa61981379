import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { AnonymousActor, Actor } from '../../auth';
import { API_PREFIX } from '../openapi';
import { CSRF_HEADER, PRESESSION_COOKIE, SESSION_COOKIE, type Principal } from '../principal';
import { ProblemError } from '../problem';
import { defineRoute, type RouteModule } from '../route';
import { ref } from '../schemas';
import type { ApiServices } from '../services';

/** Where single sign-on starts (routes in session-oidc.ts). */
export const OIDC_START_PATH = '/session/oidc';

const PRESESSION = /^[A-Za-z0-9_-]{43}$/;

/** HttpOnly, SameSite=Strict, Path=/, Secure when the request came over TLS; a browser-session cookie. */
export function setCookie(ctx: Koa.Context, name: string, value: string | null): void {
  ctx.cookies.set(name, value, { httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: '/', overwrite: true });
}

/** The pre-session cookie's value, set now when the browser has none (or a malformed one). */
function presession(ctx: Koa.Context): string {
  const current = ctx.cookies.get(PRESESSION_COOKIE);
  if (current && PRESESSION.test(current)) return current;
  const value = randomBytes(32).toString('base64url');
  setCookie(ctx, PRESESSION_COOKIE, value);
  return value;
}

const userBody = (actor: Actor) => ({ name: actor.name, role: actor.role });

/**
 * Console sign-in: read the session (and a CSRF token), sign in, sign out. Sign-in failures
 * are counted per user name and per source address; past the limits the answer is 429 until
 * the window passes. Whether the name exists never shows: the same 401, the same scrypt cost.
 */
export const sessionRoutes: RouteModule = (s) => [
  defineRoute({
    method: 'GET',
    path: '/session',
    operationId: 'getSession',
    summary: 'Who is signed in, and the CSRF token for changes',
    description: 'Public. Signed in: the user and the session\'s CSRF token. Not signed in: `user` is null, and a pre-session cookie is set whose CSRF token the sign-in must send; `sso` names the single sign-on provider when one is configured.',
    tag: 'session',
    role: 'public',
    responses: { 200: { description: 'The session (user null when not signed in).', schema: ref('console', 'Session') } },
    async handle({ koa }) {
      const cookie = koa.cookies.get(SESSION_COOKIE);
      const signedIn = cookie !== undefined ? await s.auth.session(cookie) : undefined;
      if (signedIn) return { body: { user: userBody(signedIn.actor), csrfToken: s.auth.csrfToken(cookie!) } };
      if (cookie !== undefined) setCookie(koa, SESSION_COOKIE, null);
      const sso = s.oidc ? { sso: { name: s.oidc.config.name, url: `${API_PREFIX}${OIDC_START_PATH}` } } : {};
      return { body: { user: null, csrfToken: s.auth.csrfToken(presession(koa)), ...sso }, headers: { 'Cache-Control': 'no-store' } };
    },
  }),

  defineRoute<Record<string, never>, Record<string, never>, { name: string; password: string }>({
    method: 'POST',
    path: '/session',
    operationId: 'signIn',
    summary: 'Sign in to the console with a user name and password',
    description: `Public, but needs \`${CSRF_HEADER}\` with the token \`GET /session\` gave. Sets the HttpOnly session cookie \`${SESSION_COOKIE}\`. Wrong name or password: 401, the same for both; too many failures for the name or from the address: 429 with Retry-After. Every attempt is audited.`,
    tag: 'session',
    role: 'public',
    body: { schema: ref('console', 'SignIn') },
    responses: {
      200: { description: 'Signed in; the new session\'s CSRF token.', schema: ref('console', 'Session') },
      401: { description: 'Wrong user name or password (which one is not said).' },
      403: { description: `Missing or wrong \`${CSRF_HEADER}\`.` },
      429: { description: 'Too many failed sign-ins for this name or from this address; Retry-After says when to try again.' },
    },
    async handle({ body, koa }) {
      const address = koa.ip;
      const cookie = koa.cookies.get(PRESESSION_COOKIE) ?? koa.cookies.get(SESSION_COOKIE);
      if (!cookie || !s.auth.csrfMatches(cookie, koa.get(CSRF_HEADER) || undefined)) {
        throw new ProblemError(403, 'csrf', `signing in needs the CSRF token of GET /api/v1/session in ${CSRF_HEADER}`);
      }
      const tried: AnonymousActor = { kind: 'anonymous', name: body.name.slice(0, 64) };
      const wait = await s.lockout.retryAfter(body.name, address);
      if (wait > 0) {
        await recordSignIn(s, koa, tried, 'session.login_locked', 429, { address });
        throw new ProblemError(429, 'too-many-sign-ins', 'too many failed sign-ins; try again later', undefined, { 'Retry-After': String(wait) });
      }
      const result = await s.users.signIn(body.name, body.password);
      if (!result.ok) {
        await s.lockout.failed(body.name, address);
        await recordSignIn(s, koa, tried, 'session.login_failed', 401, { address, reason: result.reason });
        throw new ProblemError(401, 'sign-in-failed', 'wrong user name or password');
      }
      const { user } = result;
      await s.lockout.succeeded(body.name, address);
      const id = await s.sessions.create(user._id, user.sessionEpoch);
      setCookie(koa, SESSION_COOKIE, id);
      setCookie(koa, PRESESSION_COOKIE, null);
      const actor: Actor = { kind: 'user', name: user._id, role: user.role };
      await recordSignIn(s, koa, actor, 'session.login', 200, { address });
      return { body: { user: userBody(actor), csrfToken: s.auth.csrfToken(id) }, headers: { 'Cache-Control': 'no-store' } };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: '/session',
    operationId: 'signOut',
    summary: 'Sign out: the session ends at once',
    description: `Needs \`${CSRF_HEADER}\` like every signed-in change. With a Bearer token there is no session and nothing happens.`,
    tag: 'session',
    role: 'viewer',
    audit: 'session.logout',
    responses: { 204: { description: 'Signed out; the cookie is cleared.' } },
    async handle({ koa }) {
      const { sessionId } = koa.state.principal as Principal;
      if (sessionId) {
        await s.sessions.delete(sessionId);
        setCookie(koa, SESSION_COOKIE, null);
      }
      return { audit: { details: { address: koa.ip } } };
    },
  }),
];

/** Writes a sign-in's audit record; a failure to write is logged, the sign-in's answer stands. */
export async function recordSignIn(s: ApiServices, ctx: Koa.Context, actor: Actor | AnonymousActor, action: string, status: number, details: Record<string, unknown>): Promise<void> {
  try {
    await s.audit.record({ actor, action, target: actor.name, method: ctx.method, path: ctx.path, status, details });
  } catch (err) {
    s.log.error({ event: 'api.audit_failed', err, action }, 'could not write the audit log');
  }
}
