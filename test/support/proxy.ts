import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Headers of one hop, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length']);

export interface ProxyEvents {
  /** a request was handed to upstream `index` in full; the answer has not come yet */
  forwarded: [index: number, body: Buffer];
}

export interface ProxyCounts {
  /** requests handed to each upstream */
  forwarded: number[];
  /** requests lost with each upstream: it died holding them, the client got 502 */
  dropped: number[];
  /** connections each upstream refused (the request went on to the next) */
  refused: number[];
}

/**
 * A round-robin HTTP proxy on loopback, like a Kubernetes Service or a load balancer without
 * session affinity: every request goes to the next upstream, whatever client connection or
 * session it belongs to. An upstream that refuses the connection is skipped (nginx's
 * `proxy_next_upstream error`); one that dies holding a request costs its client a 502.
 * Bodies are buffered (at most `maxBodyBytes`), so a request can be replayed on the next one.
 */
export class RoundRobinProxy extends EventEmitter<ProxyEvents> {
  readonly counts: ProxyCounts;
  private readonly targets: URL[];
  // Idle upstream connections are dropped well before the ACS's keep-alive timeout (5 s), so a
  // request is never sent on one the upstream is closing (which would look like a dead replica).
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 1_000 });
  private readonly server: http.Server;
  private next = 0;

  constructor(
    upstreams: string[],
    private readonly maxBodyBytes = 4 * 1024 * 1024,
  ) {
    super();
    if (upstreams.length === 0) throw new RangeError('a proxy needs at least one upstream');
    this.targets = upstreams.map((u) => new URL(u));
    const zeros = () => upstreams.map(() => 0);
    this.counts = { forwarded: zeros(), dropped: zeros(), refused: zeros() };
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        if (res.headersSent) res.destroy();
        else res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy error: ${err.message}\n`);
      });
    });
  }

  /** Listens on a free loopback port; resolves with the proxy's base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, this.maxBodyBytes);
    if (!body) return void res.writeHead(413).end();
    const headers = endToEnd(req.rawHeaders);
    headers['content-length'] = body.length;
    const peer = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${peer}` : peer;
    const first = this.next++;
    for (let tried = 0; tried < this.targets.length; tried++) {
      const index = (first + tried) % this.targets.length;
      const answer = await this.forward(index, req, headers, body);
      if (answer === 'refused') {
        this.counts.refused[index] += 1;
        continue;
      }
      if (answer === 'dropped') {
        this.counts.dropped[index] += 1;
        break;
      }
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('no upstream answered\n');
  }

  private forward(
    index: number,
    req: http.IncomingMessage,
    headers: http.OutgoingHttpHeaders,
    body: Buffer,
  ): Promise<'refused' | 'dropped' | { status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> {
    const target = this.targets[index];
    return new Promise((resolve) => {
      const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: this.agent }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: endToEnd(answer.rawHeaders), body: Buffer.concat(parts) }));
        answer.on('error', () => resolve('dropped'));
      });
      up.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : 'dropped'));
      up.end(body, () => {
        this.counts.forwarded[index] += 1;
        this.emit('forwarded', index, body);
      });
    });
  }
}

/**
 * The end-to-end headers of a message from its raw lines, each repeated header kept as its
 * own line (Node joins parsed ones, which breaks a list of WWW-Authenticate challenges).
 */
function endToEnd(raw: string[]): http.OutgoingHttpHeaders {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (HOP_BY_HOP.has(name)) continue;
    const seen = headers[name];
    headers[name] = seen === undefined ? raw[i + 1] : [seen, raw[i + 1]].flat();
  }
  return headers;
}

/** The whole body, or undefined when it is longer than `max` bytes. */
async function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
