import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * HTTP Digest authentication (RFC 7616) for both directions of CWMP: devices authenticating
 * to the ACS, and the ACS authenticating its connection requests to devices. Only qop=auth
 * is offered; a request without qop (RFC 2069 style, sent by old CPEs) is accepted but its
 * nonce counts as used once.
 */

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
const ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  qop: string[];
  opaque?: string;
  stale: boolean;
}

/** A character of an auth-param name: `[A-Za-z0-9_*-]`. */
function isKeyChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 42 || code === 45;
}

/**
 * Splits `key=value, key="quoted, \"value\""` auth-params; returns undefined when malformed.
 * It runs on every request of a session, hence character codes and slices rather than a
 * regular expression per character and a string built one character at a time.
 */
export function parseAuthParams(text: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  let i = 0;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  while (i < n) {
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    const keyStart = i;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    const key = text.slice(keyStart, i).toLowerCase();
    skipSpace();
    if (!key || text[i] !== '=') return undefined;
    i++;
    skipSpace();
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      let start = i;
      while (i < n) {
        const c = text[i];
        if (c === '"') {
          value += text.slice(start, i);
          i++;
          closed = true;
          break;
        }
        if (c === '\\' && i + 1 < n) {
          value += text.slice(start, i) + text[i + 1];
          i += 2;
          start = i;
        } else i++;
      }
      if (!closed) return undefined;
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== ' ' && text[i] !== '\t') i++;
      value = text.slice(start, i);
    }
    if (params.has(key)) return undefined;
    params.set(key, value);
    skipSpace();
    if (i < n && text[i] !== ',') return undefined;
  }
  return params;
}

/** Parses an `Authorization: Digest …` header value; undefined when it is not a usable one. */
export function parseDigestAuthorization(header: string): DigestCredentials | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const p = parseAuthParams(m[1]);
  if (!p) return undefined;
  const username = p.get('username');
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  const uri = p.get('uri');
  const response = p.get('response');
  if (username === undefined || realm === undefined || !nonce || uri === undefined || !response) return undefined;
  const algorithm = normaliseAlgorithm(p.get('algorithm') ?? 'MD5');
  if (!algorithm) return undefined;
  const qop = p.get('qop');
  if (qop !== undefined && qop.toLowerCase() !== 'auth') return undefined;
  const nc = p.get('nc');
  const cnonce = p.get('cnonce');
  if (qop !== undefined && (!nc || !/^[0-9a-fA-F]{8}$/.test(nc) || !cnonce)) return undefined;
  if (algorithm.endsWith('-sess') && !cnonce) return undefined;
  return {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    algorithm,
    qop: qop !== undefined ? 'auth' : undefined,
    nc,
    cnonce,
    opaque: p.get('opaque'),
  };
}

/** Parses one `WWW-Authenticate: Digest …` challenge. */
export function parseDigestChallenge(header: string): DigestChallenge | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const p = parseAuthParams(m[1]);
  if (!p) return undefined;
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  const algorithm = normaliseAlgorithm(p.get('algorithm') ?? 'MD5');
  if (realm === undefined || !nonce || !algorithm) return undefined;
  return {
    realm,
    nonce,
    algorithm,
    qop: (p.get('qop') ?? '')
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter(Boolean),
    opaque: p.get('opaque'),
    stale: (p.get('stale') ?? '').toLowerCase() === 'true',
  };
}

function normaliseAlgorithm(name: string): DigestAlgorithm | undefined {
  return ALGORITHMS.find((a) => a.toLowerCase() === name.toLowerCase());
}

function hashOf(algorithm: DigestAlgorithm): (s: string) => string {
  const h = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  return (s) => hash(h, s, 'hex');
}

/** H(username:realm:password), the only form in which a stored password needs to exist. */
export function ha1(algorithm: 'MD5' | 'SHA-256', username: string, realm: string, password: string): string {
  return hashOf(algorithm)(`${username}:${realm}:${password}`);
}

/**
 * The expected `response` for the given credentials, from the plain HA1 of the base
 * algorithm (the -sess variants derive their session key from it).
 */
export function expectedResponse(c: DigestCredentials, method: string, plainHa1: string): string {
  const H = hashOf(c.algorithm);
  const key = c.algorithm.endsWith('-sess') ? H(`${plainHa1}:${c.nonce}:${c.cnonce}`) : plainHa1;
  const ha2 = H(`${method}:${c.uri}`);
  return c.qop ? H(`${key}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`) : H(`${key}:${c.nonce}:${ha2}`);
}

export function baseAlgorithm(a: DigestAlgorithm): 'MD5' | 'SHA-256' {
  return a.startsWith('SHA-256') ? 'SHA-256' : 'MD5';
}

/** Constant-time comparison of two hex digests. */
export function digestEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function formatChallenge(c: Omit<DigestChallenge, 'qop'> & { qop?: string[] }): string {
  const parts = [`realm="${quote(c.realm)}"`, `qop="${(c.qop ?? ['auth']).join(',')}"`, `algorithm=${c.algorithm}`, `nonce="${quote(c.nonce)}"`];
  if (c.opaque !== undefined) parts.push(`opaque="${quote(c.opaque)}"`);
  if (c.stale) parts.push('stale=true');
  return `Digest ${parts.join(', ')}`;
}

function quote(s: string): string {
  return s.replace(/(["\\])/g, '\\$1');
}

/**
 * Client side: the Authorization header answering a challenge. `nc` counts requests made
 * with this nonce (1 for the first).
 */
export function answerChallenge(
  challenge: DigestChallenge,
  opts: { username: string; password: string; method: string; uri: string; nc?: number; cnonce?: string },
): string {
  const nc = (opts.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = opts.cnonce ?? randomBytes(8).toString('hex');
  const useQop = challenge.qop.includes('auth');
  const creds: DigestCredentials = {
    username: opts.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: opts.uri,
    response: '',
    algorithm: challenge.algorithm,
    qop: useQop ? 'auth' : undefined,
    nc: useQop ? nc : undefined,
    cnonce: useQop || challenge.algorithm.endsWith('-sess') ? cnonce : undefined,
    opaque: challenge.opaque,
  };
  const response = expectedResponse(creds, opts.method, ha1(baseAlgorithm(challenge.algorithm), opts.username, challenge.realm, opts.password));
  const parts = [
    `username="${quote(opts.username)}"`,
    `realm="${quote(challenge.realm)}"`,
    `nonce="${quote(challenge.nonce)}"`,
    `uri="${quote(opts.uri)}"`,
    `algorithm=${challenge.algorithm}`,
    `response="${response}"`,
  ];
  if (useQop) parts.push('qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`);
  else if (creds.cnonce) parts.push(`cnonce="${creds.cnonce}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${quote(challenge.opaque)}"`);
  return `Digest ${parts.join(', ')}`;
}

/** Picks the strongest challenge a client supports from several WWW-Authenticate values. */
export function pickChallenge(headers: string[]): DigestChallenge | undefined {
  const parsed = headers.map(parseDigestChallenge).filter((c): c is DigestChallenge => c !== undefined);
  return parsed.find((c) => c.algorithm.startsWith('SHA-256')) ?? parsed[0];
}

/** Signed nonces remembered at most (about 100 bytes each); past that the least recently used go. */
const SIGNED_NONCES_REMEMBERED = 20_000;

/**
 * Stateless nonces: timestamp and randomness signed with the shared secret, so any replica can
 * check a nonce another one issued. Replay protection (nonce counts) is kept in Redis by the
 * caller.
 */
export class NonceIssuer {
  /**
   * Issue times of nonces whose signature this issuer checked: a device sends the same nonce on
   * every request until it goes stale, and its signature need not be computed each time.
   */
  private readonly signed = new LRUCache<string, number>({ max: SIGNED_NONCES_REMEMBERED });

  constructor(
    private readonly secret: Buffer,
    private readonly ttlMs: number,
  ) {}

  issue(now = Date.now()): string {
    const body = Buffer.alloc(14);
    body.writeUIntBE(now, 0, 6);
    randomBytes(8).copy(body, 6);
    return Buffer.concat([body, this.sign(body)]).toString('base64url');
  }

  /** 'valid', 'stale' (ours but expired: the client may retry with a fresh one) or 'invalid'. */
  check(nonce: string, now = Date.now()): 'valid' | 'stale' | 'invalid' {
    const issued = this.signed.get(nonce) ?? this.verify(nonce);
    if (issued === undefined || issued > now + 60_000) return 'invalid';
    return now - issued > this.ttlMs ? 'stale' : 'valid';
  }

  /** The issue time of a nonce this issuer signed, remembered; undefined for any other. */
  private verify(nonce: string): number | undefined {
    if (!/^[A-Za-z0-9_-]{40}$/.test(nonce)) return undefined;
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== 30) return undefined;
    const body = raw.subarray(0, 14);
    if (!timingSafeEqual(raw.subarray(14), this.sign(body))) return undefined;
    const issued = body.readUIntBE(0, 6);
    this.signed.set(nonce, issued);
    return issued;
  }

  private sign(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update('nonce').update(body).digest().subarray(0, 16);
  }
}
