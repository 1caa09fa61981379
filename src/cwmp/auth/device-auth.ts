import type { Config } from '../../config';
import type { DeviceCredentials } from '../../devices/types';
import { makeCredentials } from '../../devices/repository';
import type { AuthState } from '../session/ports';
import { baseAlgorithm, digestEquals, expectedResponse, formatChallenge, ha1, type NonceIssuer, parseDigestAuthorization } from './digest';

export interface AuthRequest {
  authorization?: string;
  /** HTTP method and request-target, which a Digest response covers */
  method: string;
  uri: string;
  source: string;
}

/**
 * A Digest nonce count not recorded yet: `verify` with `deferNonceCount` leaves it to the caller,
 * who records it in the same Redis script as the session it opens (SessionStates.open), one
 * round trip instead of two, and just as atomic.
 */
export interface NonceCount {
  nonce: string;
  nc: number;
  ttlMs: number;
}

export type AuthVerdict =
  /** `nonceCount`: only when verify deferred it; the request is not authenticated until it is recorded */
  | { ok: true; username?: string; nonceCount?: NonceCount }
  /** `stale`: the password was proven, only the nonce or its count could not be accepted */
  | { ok: false; status: 401; challenge: string[]; reason: string; counted: boolean; stale?: true };

/**
 * Checks a device's HTTP credentials (Basic and/or Digest per configuration) against its own
 * credential or the global one. Failed attempts are counted per source address; a source over
 * the limit is refused before any check. Secrets never leave this module: verdicts carry
 * reasons, not values.
 */
/**
 * How long a source's failure count read from Redis is reused. Phones behind one NAT share a
 * source, so without this every session of a site reads the same key; with it, failures in
 * another replica are seen up to this much later, and this process's own at once.
 */
const FAILURES_FRESH_MS = 1000;
const FAILURES_REMEMBERED = 10_000;

export class DeviceAuthenticator {
  private readonly global?: DeviceCredentials;
  private readonly failures = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly config: Config['cwmp'],
    private readonly nonces: NonceIssuer,
    private readonly store: AuthState,
  ) {
    if (config.credential) this.global = makeCredentials(config.credential.username, config.credential.password, config.realm);
  }

  get required(): boolean {
    return this.config.auth !== 'none';
  }

  challenge(stale = false): string[] {
    const out: string[] = [];
    if (this.config.auth === 'digest' || this.config.auth === 'digest-or-basic') {
      for (const algorithm of this.config.digestAlgorithms) {
        out.push(formatChallenge({ realm: this.config.realm, nonce: this.nonces.issue(), algorithm, stale }));
      }
    }
    if (this.config.auth === 'basic' || this.config.auth === 'digest-or-basic') out.push(`Basic realm="${this.config.realm}", charset="UTF-8"`);
    return out;
  }

  async blocked(source: string): Promise<boolean> {
    const now = Date.now();
    const known = this.failures.get(source);
    const count = known && now - known.at < FAILURES_FRESH_MS ? known.count : await this.store.failures(source);
    this.remember(source, count, now);
    return count >= this.config.authFailLimit;
  }

  private remember(source: string, count: number, at: number): void {
    if (this.failures.size >= FAILURES_REMEMBERED && !this.failures.has(source)) this.failures.clear();
    this.failures.set(source, { count, at });
  }

  /**
   * `own` is the device's stored credential, if it has one. With `deferNonceCount`, a Digest
   * verdict carries its nonce count instead of recording it: the caller must record it (with
   * `recordNonceCount` or the session it opens) and refuse the request if it was replayed.
   */
  async verify(req: AuthRequest, own: DeviceCredentials | undefined, options: { deferNonceCount?: boolean } = {}): Promise<AuthVerdict> {
    if (!this.required) return { ok: true };
    const expected = own && own.realm === this.config.realm ? own : this.global;
    if (!expected) return this.fail(req, 'no credential is configured for this device');
    const header = req.authorization ?? '';
    if (/^\s*Basic\s/i.test(header) && this.config.auth !== 'digest') return this.checkBasic(req, header, expected);
    if (/^\s*Digest\s/i.test(header) && this.config.auth !== 'basic') return this.checkDigest(req, header, expected, options.deferNonceCount === true);
    return this.fail(req, header ? 'authorization scheme not accepted' : 'no authorization', !!header);
  }

  private async checkBasic(req: AuthRequest, header: string, expected: DeviceCredentials): Promise<AuthVerdict> {
    const decoded = Buffer.from(header.trim().slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return this.fail(req, 'malformed Basic credentials');
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const ok = username === expected.username && digestEquals(ha1('MD5', username, expected.realm, password), expected.ha1Md5);
    return ok ? { ok: true, username } : this.fail(req, 'wrong Basic credentials');
  }

  /**
   * Only a wrong password counts as a failure. A response that proves the password but cannot
   * be accepted as it is (a nonce that expired or that another secret signed, a nonce count
   * already seen) earns a fresh challenge with stale=true: many CPEs open a session with the
   * nonce and count they cached, and counting those would lock out a whole NAT'd site.
   */
  private async checkDigest(req: AuthRequest, header: string, expected: DeviceCredentials, defer: boolean): Promise<AuthVerdict> {
    const c = parseDigestAuthorization(header);
    if (!c) return this.fail(req, 'malformed Digest credentials');
    if (!this.config.digestAlgorithms.includes(baseAlgorithm(c.algorithm))) return this.fail(req, 'Digest algorithm not offered');
    if (c.realm !== this.config.realm || c.username !== expected.username) return this.fail(req, 'wrong Digest credentials');
    if (!sameTarget(c.uri, req.uri)) return this.fail(req, 'Digest uri does not match the request');
    const stored = baseAlgorithm(c.algorithm) === 'SHA-256' ? expected.ha1Sha256 : expected.ha1Md5;
    if (!digestEquals(expectedResponse(c, req.method, stored), c.response)) return this.fail(req, 'wrong Digest credentials');
    const nonceState = this.nonces.check(c.nonce);
    if (nonceState === 'invalid') return this.stale('Digest nonce not issued by this ACS');
    if (nonceState === 'stale') return this.stale('stale Digest nonce');
    const count: NonceCount = { nonce: c.nonce, nc: c.nc ? parseInt(c.nc, 16) : 0, ttlMs: this.config.nonceTtlSeconds * 1000 };
    if (defer) return { ok: true, username: c.username, nonceCount: count };
    if (!(await this.recordNonceCount(count))) return this.replayed();
    return { ok: true, username: c.username };
  }

  /** Records a deferred nonce count; false when the count was already seen (a replay). */
  recordNonceCount(count: NonceCount): Promise<boolean> {
    return this.store.acceptNonceCount(count.nonce, count.nc, count.ttlMs);
  }

  /** The verdict on a request whose nonce count was already seen: a fresh challenge, not a failure. */
  replayed(): Extract<AuthVerdict, { ok: false }> {
    return this.stale('replayed Digest nonce count');
  }

  private stale(reason: string): Extract<AuthVerdict, { ok: false }> {
    return { ok: false, status: 401, challenge: this.challenge(true), reason, counted: false, stale: true };
  }

  private async fail(req: AuthRequest, reason: string, count = true): Promise<AuthVerdict> {
    if (count) this.remember(req.source, await this.store.countFailure(req.source, this.config.authFailWindowSeconds), Date.now());
    return { ok: false, status: 401, challenge: this.challenge(), reason, counted: count };
  }
}

/** Digest `uri` is the request-target; some clients send the absolute URL instead. */
function sameTarget(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  try {
    const u = new URL(digestUri);
    return u.pathname + u.search === requestUri;
  } catch {
    return false;
  }
}
