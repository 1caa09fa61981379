import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  baseAlgorithm,
  digestEquals,
  expectedResponse,
  formatChallenge,
  ha1,
  NonceIssuer,
  parseDigestAuthorization,
  type DigestAlgorithm,
} from '../cwmp/auth/digest';

/** A device reachable through the listener. */
export interface ConnectionRequestTarget {
  /** ConnectionRequestUsername/Password, read at every request (the ACS may change them) */
  connectionRequestCredentials(): { username: string; password: string };
  /** Authenticated request accepted: start (or collapse into) a 6 CONNECTION REQUEST session. */
  connectionRequest(): void;
}

export interface ConnectionRequestListenerOptions {
  /** address to bind; loopback by default */
  host?: string;
  /** 0 = any free port */
  port?: number;
  /** host written into ConnectionRequestURL; defaults to `host` */
  advertisedHost?: string;
  /** accepted requests per device per second before 503 */
  maxPerSecond?: number;
  realm?: string;
  nonceTtlMs?: number;
  /** epoch ms; injectable for tests of the rate limit and nonce expiry */
  clock?: () => number;
}

export interface ConnectionRequestStats {
  accepted: number;
  unauthorized: number;
  notFound: number;
  rateLimited: number;
}

interface Registration {
  target: ConnectionRequestTarget;
  /** times of recently accepted requests, for the rate limit */
  recent?: number[];
}

const ALGORITHMS: DigestAlgorithm[] = ['SHA-256', 'MD5'];

/**
 * The HTTP connection-request endpoint of a whole fleet (TR-069 §3.2.2): one server, one
 * random path per device, Digest authentication with each device's own credentials.
 */
export class ConnectionRequestListener {
  readonly stats: ConnectionRequestStats = { accepted: 0, unauthorized: 0, notFound: 0, rateLimited: 0 };
  private readonly server: Server;
  private readonly targets = new Map<string, Registration>();
  private readonly nonces: NonceIssuer;
  /** highest nonce count seen per nonce, oldest first, to refuse replays */
  private readonly seen = new Map<string, { nc: number; at: number }>();
  private readonly realm: string;
  private readonly maxPerSecond: number;
  private readonly nonceTtlMs: number;
  private readonly clock: () => number;

  constructor(private readonly opts: ConnectionRequestListenerOptions = {}) {
    this.realm = opts.realm ?? 'CWMP Connection Request';
    this.maxPerSecond = opts.maxPerSecond ?? 5;
    this.nonceTtlMs = opts.nonceTtlMs ?? 30_000;
    this.clock = opts.clock ?? Date.now;
    this.nonces = new NonceIssuer(randomBytes(32), this.nonceTtlMs);
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.server.headersTimeout = 5_000;
    this.server.requestTimeout = 10_000;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Registers a device; returns its ConnectionRequestURL. */
  register(target: ConnectionRequestTarget): string {
    const path = `/${randomBytes(12).toString('hex')}`;
    this.targets.set(path, { target });
    const host = this.opts.advertisedHost ?? this.opts.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}${path}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const reg = this.targets.get((req.url ?? '').split('?')[0]);
    if (!reg) {
      this.stats.notFound += 1;
      return end(res, 404);
    }
    if (req.method !== 'GET') return end(res, 405, { allow: 'GET' });
    const verdict = this.authenticate(req, reg.target);
    if (verdict !== 'ok') {
      this.stats.unauthorized += 1;
      const nonce = this.nonces.issue(this.clock());
      const challenges = ALGORITHMS.map((algorithm) => formatChallenge({ realm: this.realm, nonce, algorithm, stale: verdict === 'stale' }));
      return end(res, 401, { 'www-authenticate': challenges });
    }
    const now = this.clock();
    reg.recent = (reg.recent ?? []).filter((t) => now - t < 1000);
    if (reg.recent.length >= this.maxPerSecond) {
      this.stats.rateLimited += 1;
      return end(res, 503);
    }
    reg.recent.push(now);
    this.stats.accepted += 1;
    end(res, 200);
    reg.target.connectionRequest();
  }

  private authenticate(req: IncomingMessage, target: ConnectionRequestTarget): 'ok' | 'stale' | 'refused' {
    const header = req.headers.authorization;
    const creds = header ? parseDigestAuthorization(header) : undefined;
    if (!creds) return 'refused';
    const { username, password } = target.connectionRequestCredentials();
    if (creds.username !== username || creds.realm !== this.realm || creds.uri !== req.url) return 'refused';
    const expected = expectedResponse(creds, 'GET', ha1(baseAlgorithm(creds.algorithm), username, this.realm, password));
    if (!digestEquals(expected, creds.response)) return 'refused';
    const freshness = this.nonces.check(creds.nonce, this.clock());
    if (freshness !== 'valid') return freshness === 'stale' ? 'stale' : 'refused';
    return this.countNonce(creds.nonce, creds.nc) ? 'ok' : 'refused';
  }

  /** A nonce count must grow; without qop a nonce serves once. */
  private countNonce(nonce: string, ncHex: string | undefined): boolean {
    const now = this.clock();
    for (const [key, entry] of this.seen) {
      if (now - entry.at < this.nonceTtlMs) break;
      this.seen.delete(key);
    }
    const nc = ncHex === undefined ? 1 : parseInt(ncHex, 16);
    const last = this.seen.get(nonce);
    if (last && nc <= last.nc) return false;
    this.seen.set(nonce, { nc, at: last?.at ?? now });
    return true;
  }
}

function end(res: ServerResponse, status: number, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...headers, 'content-length': '0' });
  res.end();
}
