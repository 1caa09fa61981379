import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../stores/redis';
import { redisKeys } from '../../stores/redis-keys';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config';
import type { ApiRole } from '../roles';
import { parseRoleMap, roleFromClaim, type RoleMap } from './roles';

/** Seconds a person has at the provider between leaving the console and coming back. */
const PENDING_SECONDS = 600;

/** What the console keeps of a sign-in that went to the provider: the checks of its return. */
interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
}

export type OidcFailure = 'no-pending-login' | 'state' | 'provider-error' | 'nonce' | 'token' | 'no-role' | 'provider-unavailable';

export type OidcOutcome =
  | { ok: true; name: string; role: ApiRole; issuer: string; subject: string }
  | { ok: false; reason: OidcFailure; detail: string; subject?: string };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Console sign-in through an OpenID Connect provider: authorization code flow with PKCE
 * (S256), state and nonce. `start` remembers the three secrets in Redis under a random id the
 * browser keeps in a cookie; `finish` takes them back once (a replayed return finds nothing),
 * lets openid-client check the answer (state, the ID token's signature against the provider's
 * JWKS, issuer, audience, expiry, nonce) and maps the role claim.
 */
export class OidcLogin {
  private readonly roleMap: RoleMap;
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    readonly config: OidcConfig,
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.roleMap = parseRoleMap(config.roleMap);
  }

  /** The provider's URL to send the browser to, and the id of the pending sign-in (for the cookie). */
  async start(): Promise<{ url: URL; pending: string }> {
    const server = await this.server();
    const login: PendingLogin = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const pending = randomBytes(32).toString('base64url');
    await this.redis.set(this.key(pending), JSON.stringify(login), 'EX', PENDING_SECONDS);
    const url = oidc.buildAuthorizationUrl(server, {
      redirect_uri: this.config.redirectUrl,
      scope: this.config.scopes,
      state: login.state,
      nonce: login.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** Checks the provider's redirect back (`callback`: the full URL the browser came to). */
  async finish(pending: string | undefined, callback: URL): Promise<OidcOutcome> {
    const text = pending ? await this.redis.getdel(this.key(pending)) : null;
    if (!text) return { ok: false, reason: 'no-pending-login', detail: 'no sign-in of this browser is waiting for the provider (expired, used already, or started elsewhere)' };
    const login = JSON.parse(text) as PendingLogin;
    if (callback.searchParams.get('state') !== login.state) return { ok: false, reason: 'state', detail: 'the state the provider returned is not the one this sign-in sent' };
    let server: oidc.Configuration;
    try {
      server = await this.server();
    } catch (err) {
      return { ok: false, reason: 'provider-unavailable', detail: (err as Error).message };
    }
    let claims: oidc.IDToken;
    let roleClaim: unknown;
    try {
      const tokens = await oidc.authorizationCodeGrant(server, callback, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true });
      claims = tokens.claims()!;
      roleClaim = claims[this.config.roleClaim];
      if (roleClaim === undefined && server.serverMetadata().userinfo_endpoint) {
        // many providers put groups only in the userinfo answer; its subject must be the ID token's
        roleClaim = (await oidc.fetchUserInfo(server, tokens.access_token, claims.sub))[this.config.roleClaim];
      }
    } catch (err) {
      return { ok: false, ...failure(err) };
    }
    const role = roleFromClaim(roleClaim, this.roleMap);
    if (!role) {
      return { ok: false, reason: 'no-role', subject: claims.sub, detail: `the provider's "${this.config.roleClaim}" claim (${JSON.stringify(roleClaim ?? null)}) maps to no console role` };
    }
    const name = [claims.preferred_username, claims.email, claims.sub].find((v): v is string => typeof v === 'string' && v !== '')!;
    return { ok: true, name: name.slice(0, 128), role, issuer: claims.iss, subject: claims.sub };
  }

  /** The provider's metadata, read once; a failed read is tried again on the next sign-in. */
  private server(): Promise<oidc.Configuration> {
    this.discovered ??= this.discover().catch((err: unknown) => {
      this.discovered = undefined;
      throw err;
    });
    return this.discovered;
  }

  private async discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.config.issuer);
    const auth = this.config.clientSecret ? oidc.ClientSecretBasic(this.config.clientSecret) : oidc.None();
    // plain http only to a provider on this machine (development, tests)
    const execute = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) ? [oidc.allowInsecureRequests] : [];
    const server = await oidc.discovery(issuer, this.config.clientId, undefined, auth, { execute });
    // check the ID token's signature too, not only its claims (the token endpoint is trusted by TLS alone otherwise)
    oidc.enableNonRepudiationChecks(server);
    return server;
  }

  private key(pending: string): string {
    return redisKeys(this.prefix).console.oidc(createHash('sha256').update(pending).digest('base64url'));
  }
}

/** The failure class of an error openid-client threw, for the audit log. */
function failure(err: unknown): { reason: OidcFailure; detail: string } {
  if (err instanceof oidc.AuthorizationResponseError) return { reason: 'provider-error', detail: `${err.error}${err.error_description ? `: ${err.error_description}` : ''}` };
  // openid-client wraps oauth4webapi's error, whose cause names the claim that did not match
  const messages: string[] = [];
  let claim: unknown;
  for (let e = err as { message?: string; cause?: unknown; claim?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.message) messages.push(e.message);
    claim ??= e.claim;
  }
  return { reason: claim === 'nonce' ? 'nonce' : 'token', detail: messages.join(': ') };
}
