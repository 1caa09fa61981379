import type { Client, Dispatcher } from 'undici';
import { SessionFailure } from '../outcome';
import type { ClientAuth, Credentials } from './client-auth';
import type { ConnectionPool } from './connection-pool';
import { CookieJar } from './cookie-jar';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TransportOptions {
  /** the fleet's keep-alive connections */
  pool: ConnectionPool;
  auth: ClientAuth;
  /** read at every request: the ACS may change ManagementServer.Username/Password */
  credentials: () => Credentials;
  userAgent: string;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  /** keep and send cookies (off: the connection is all that ties the session together) */
  cookies: boolean;
  /** a new connection for every request */
  connectionPerRequest: boolean;
  signal?: AbortSignal;
  /** called with the status of every HTTP response */
  onResponse?: (status: number) => void;
}

const MAX_REDIRECTS = 5;
const MAX_CHALLENGES = 3;
const REDIRECT_STATUSES = new Set([302, 307]);

/**
 * The HTTP side of one CWMP session: POSTs to the ACS URL over one keep-alive connection
 * borrowed for the session, with the session's cookies and the device's credentials,
 * answering 401 challenges and following redirects of the first request.
 */
export class SessionTransport {
  requests = 0;
  private url: URL | undefined;
  private readonly jar: CookieJar | undefined;
  private readonly borrowed = new Map<string, Client>();
  private redirectsAllowed = true;

  constructor(
    acsUrl: string,
    private readonly opts: TransportOptions,
  ) {
    this.url = URL.canParse(acsUrl) ? new URL(acsUrl) : undefined;
    this.jar = opts.cookies ? new CookieJar() : undefined;
  }

  /**
   * POSTs one message ('' = empty POST) and returns the final response after any 401 and
   * redirect handling. Network errors and timeouts throw SessionFailure; HTTP statuses are
   * the caller's to judge, except an unanswerable 401 (reason 'auth').
   */
  async post(body: string, soapAction: boolean): Promise<HttpResponse> {
    let redirects = 0;
    let challenges = 0;
    let answeredFresh = false;
    for (;;) {
      const res = await this.send(body, soapAction);
      if (res.status === 401) {
        // A stale nonce may be renewed once more; an ACS that keeps answering 401 is refusing.
        if (++challenges > MAX_CHALLENGES || !this.opts.auth.adopt(headerList(res.headers['www-authenticate']), answeredFresh)) {
          throw new SessionFailure('auth', `the ACS refused authentication (${this.opts.auth.scheme})`, 401);
        }
        answeredFresh = true;
        continue;
      }
      if (REDIRECT_STATUSES.has(res.status) && this.redirectsAllowed) {
        const location = headerList(res.headers.location)[0];
        if (!location || ++redirects > MAX_REDIRECTS) {
          throw new SessionFailure('http-status', location ? 'too many redirects' : `${res.status} without Location`, res.status);
        }
        if (!URL.canParse(location, this.url?.href)) throw new SessionFailure('http-status', 'redirect to an invalid URL', res.status);
        this.url = new URL(location, this.url?.href);
        continue;
      }
      this.redirectsAllowed = false;
      return res;
    }
  }

  /** Gives the session's connections back; after a failure they are closed instead. */
  close(reusable: boolean): void {
    for (const [origin, client] of this.borrowed) this.opts.pool.release(origin, client, reusable && !this.opts.connectionPerRequest);
    this.borrowed.clear();
  }

  private connection(url: URL): Client {
    let client = this.borrowed.get(url.origin);
    if (!client) {
      client = this.opts.pool.acquire(url.origin);
      this.borrowed.set(url.origin, client);
    }
    return client;
  }

  private async send(body: string, soapAction: boolean): Promise<HttpResponse> {
    const url = this.url;
    if (!url) throw new SessionFailure('network', 'ManagementServer.URL is not a valid URL');
    const path = url.pathname + url.search;
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent };
    if (body !== '') headers['content-type'] = 'text/xml; charset="utf-8"';
    if (soapAction) headers.soapaction = '""';
    const cookie = this.jar?.header(url);
    if (cookie) headers.cookie = cookie;
    const authorization = this.opts.auth.header('POST', path, this.opts.credentials());
    if (authorization) headers.authorization = authorization;
    this.requests += 1;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.connection(url).request({
        origin: url.origin,
        path,
        method: 'POST',
        headers,
        body,
        signal: this.opts.signal,
        headersTimeout: this.opts.requestTimeoutMs,
        bodyTimeout: this.opts.requestTimeoutMs,
        reset: this.opts.connectionPerRequest,
      });
    } catch (err) {
      throw networkFailure(err, this.opts.signal);
    }
    this.opts.onResponse?.(res.statusCode);
    this.jar?.store(url, res.headers['set-cookie']);
    let text: string;
    try {
      text = await readLimited(res.body, this.opts.maxResponseBytes);
    } catch (err) {
      throw err instanceof SessionFailure ? err : networkFailure(err, this.opts.signal);
    }
    return { status: res.statusCode, headers: res.headers, body: text };
  }
}

export function headerList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Reads a response body, refusing more than `limit` bytes. */
export async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  return (await readLimitedBuffer(body, limit)).toString('utf8');
}

export async function readLimitedBuffer(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new SessionFailure('protocol', `response body larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function networkFailure(err: unknown, signal: AbortSignal | undefined): SessionFailure {
  if (signal?.aborted) return new SessionFailure('aborted', 'the simulator stopped');
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new SessionFailure('timeout', `no answer from the ACS: ${message}`);
  }
  return new SessionFailure('network', `${code ? `${code}: ` : ''}${message}`);
}
