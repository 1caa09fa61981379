import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeEnvelope, encodeEnvelope } from '../../../src/cwmp/soap';
import { CWMP_NAMESPACES, type CwmpMessage, type CwmpNamespace, type Envelope, type EnvelopeHeader } from '../../../src/cwmp/soap/types';

/** One request the peer received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** client port: tells connections apart */
  remotePort: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export type Script = (req: Received, index: number) => Reply | Promise<Reply>;

/**
 * A loopback HTTP server answering with whatever the test scripts: a stand-in for the ACS or
 * a file server, recording every request. No CWMP logic of its own.
 */
export class ScriptedPeer {
  readonly received: Received[] = [];
  private constructor(
    private readonly server: Server,
    public script: Script,
  ) {}

  static async start(script: Script): Promise<ScriptedPeer> {
    const server = createServer();
    const peer = new ScriptedPeer(server, script);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received: Received = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          remotePort: req.socket.remotePort ?? 0,
        };
        peer.received.push(received);
        Promise.resolve()
          .then(() => peer.script(received, peer.received.length - 1))
          .then(
            (reply) => {
              const body = reply.body ?? '';
              res.writeHead(reply.status, { 'content-length': String(Buffer.byteLength(body)), ...reply.headers });
              res.end(body);
            },
            (err: unknown) => {
              res.writeHead(599);
              res.end(String(err));
            },
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  url(path = '/cwmp'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** CWMP messages the peer received (empty POSTs left out). */
  messages(): Envelope[] {
    return this.received.filter((r) => r.body !== '').map((r) => decodeEnvelope(r.body));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An HTTP 200 (or `status`) carrying one CWMP message. */
export function soap(
  body: CwmpMessage,
  header: EnvelopeHeader = {},
  opts: { status?: number; headers?: Record<string, string | string[]>; namespace?: CwmpNamespace } = {},
): Reply {
  return {
    status: opts.status ?? 200,
    headers: { 'content-type': 'text/xml; charset="utf-8"', ...opts.headers },
    body: encodeEnvelope({ namespace: opts.namespace ?? CWMP_NAMESPACES['1.2'], header, body }),
  };
}

export const NO_CONTENT: Reply = { status: 204 };

/** The ID of the CWMP message in a received request. */
export function idOf(req: Received): string | undefined {
  return decodeEnvelope(req.body).header.id;
}

export function methodOf(req: Received): string {
  return req.body === '' ? '(empty)' : decodeEnvelope(req.body).body.method;
}

/**
 * A script for the ordinary course of a session: InformResponse, TransferCompleteResponse,
 * then `requests` one by one after the empty POST, then 204, in the device's namespace.
 * Each request is handed out once, in the first session(s) that ask. Records the answers.
 */
export function sessionScript(requests: CwmpMessage[] = [], answers: Envelope[] = []): Script {
  let next = 0;
  let namespace: CwmpNamespace = CWMP_NAMESPACES['1.2'];
  return (req) => {
    if (req.body !== '') {
      const env = decodeEnvelope(req.body);
      namespace = env.namespace;
      if (env.body.method === 'Inform') return soap({ method: 'InformResponse', maxEnvelopes: 1 }, { id: env.header.id }, { namespace });
      if (env.body.method === 'TransferComplete') return soap({ method: 'TransferCompleteResponse' }, { id: env.header.id }, { namespace });
      answers.push(env);
    }
    if (next < requests.length) return soap(requests[next], { id: `acs-${++next}` }, { namespace });
    return NO_CONTENT;
  };
}
