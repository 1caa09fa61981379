import type Koa from 'koa';
import { csrfMatches, csrfToken, isSessionId, type Actor, type SessionStore, type TokenRepository } from '../auth';
import type { UserStore } from '../users';
import { ProblemError } from './problem';

export const SESSION_COOKIE = 'acs_session';
/** set before sign-in so the sign-in itself is CSRF-protected */
export const PRESESSION_COOKIE = 'acs_presession';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How a request proved who it is; the router keeps it in `ctx.state.principal`. */
export interface Principal {
  actor: Actor;
  /** the session cookie's value when the caller is signed in to the console */
  sessionId?: string;
}

export interface AuthenticatorDeps {
  tokens: TokenRepository;
  users: UserStore;
  sessions: SessionStore;
  secret: Buffer;
}

const bearerChallenge = (extra = '') => ({ 'WWW-Authenticate': `Bearer realm="acs"${extra}` });

/**
 * Turns a request into its caller: a Bearer token, or else the console's session cookie.
 * Either way the result is an `Actor` with a role, and the router applies the one permission
 * check to it. A cookie-authenticated request that changes something must also carry the
 * session's CSRF token; a Bearer request needs none (browsers never add that header by
 * themselves).
 */
export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  async authenticate(ctx: Koa.Context): Promise<Principal> {
    const header = ctx.get('Authorization');
    const cookie = ctx.cookies.get(SESSION_COOKIE);
    if (header || cookie === undefined) return { actor: await this.bearer(header) };
    const principal = await this.session(cookie);
    if (!principal) {
      throw new ProblemError(401, 'unauthorized', 'the console session is unknown or has expired; sign in again', undefined, bearerChallenge());
    }
    if (!SAFE_METHODS.has(ctx.method) && !csrfMatches(this.deps.secret, cookie, ctx.get(CSRF_HEADER) || undefined)) {
      throw new ProblemError(403, 'csrf', `a signed-in ${ctx.method} needs the session's CSRF token in ${CSRF_HEADER} (from GET /api/v1/session)`);
    }
    return principal;
  }

  /**
   * The signed-in user behind a session cookie, read fresh: disabling or re-roling a local
   * user applies at once (a single sign-on session keeps the role its sign-in mapped). `renew: false` checks without counting as a use (idle expiry).
   */
  async session(cookie: string, renew = true): Promise<Principal | undefined> {
    if (!isSessionId(cookie)) return undefined;
    const record = await this.deps.sessions.use(cookie, Date.now(), renew);
    if (!record) return undefined;
    // the provider vouched for the role at sign-in; it holds until the session ends
    if (record.sso) return { actor: { kind: 'user', name: record.user, role: record.sso.role }, sessionId: cookie };
    const user = await this.deps.users.get(record.user);
    if (!user || user.disabled || user.sessionEpoch !== record.epoch) {
      await this.deps.sessions.delete(cookie);
      return undefined;
    }
    return { actor: { kind: 'user', name: user._id, role: user.role }, sessionId: cookie };
  }

  csrfToken(cookieValue: string): string {
    return csrfToken(this.deps.secret, cookieValue);
  }

  csrfMatches(cookieValue: string, presented: string | undefined): boolean {
    return csrfMatches(this.deps.secret, cookieValue, presented);
  }

  private async bearer(header: string): Promise<Actor> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      throw new ProblemError(401, 'unauthorized', header ? 'Authorization must be "Bearer <token>"' : 'a Bearer token (create one with `acs token create`) or a console session is required', undefined, bearerChallenge());
    }
    const actor = await this.deps.tokens.verify(m[1]);
    if (!actor) throw new ProblemError(401, 'unauthorized', 'the token is malformed, unknown or revoked', undefined, bearerChallenge(', error="invalid_token"'));
    return actor;
  }
}
