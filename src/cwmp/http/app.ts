import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../../config';
import { clientAddress } from '../../http/client-address';
import type { ClientCertificates } from '../../http/client-certificates';
import { inNetworks } from '../../http/networks';
import { probeReply } from '../../http/observability';
import { requestIdOf } from '../../http/request-id';
import type { Logger } from '../../log';
import { metrics } from '../../metrics';
import type { CwmpReply, SessionEngine } from '../session/engine';
import { BodyError, readCwmpBody, sessionCookie } from './body';

export interface CwmpAppDeps {
  engine: SessionEngine;
  config: Config['cwmp'];
  log: Logger;
  ready: () => Promise<boolean>;
  /** true when served over TLS, so cookies get the Secure flag */
  secure: boolean;
  /** the client address a PROXY protocol header gave for a connection, if any */
  proxiedPeer?: (socket: Socket) => string | undefined;
  /** judges client certificates (TLS with ACS_CWMP_TLS_CLIENT_CA) */
  certificates?: ClientCertificates;
}

/**
 * The CWMP endpoint: POST on any path. Transport concerns only (limits, decompression,
 * charsets, cookies, overload); the protocol is the engine's. No request can take the process
 * down: anything unexpected is logged once and answered 500.
 *
 * A plain node request listener, not a Koa app as the operator-facing roles are: every
 * periodic session of a fleet passes here twice, and one POST route needs none of what a
 * framework's context and middleware chain cost on each request.
 */
export function createCwmpApp(deps: CwmpAppDeps): RequestListener {
  let inflight = 0;
  // CPEs that ignore cookies keep one connection for the whole session (TR-069 asks for
  // persistent connections); the socket then identifies their session on this process. Not
  // behind a proxy: it may carry several devices' requests over one upstream connection.
  const socketSessions = new WeakMap<object, string>();
  // What the connection itself says about the client is read once, not on each request.
  const connections = new WeakMap<Socket, { peer: string; address: string; trustedPeer: boolean }>();
  const connectionOf = (socket: Socket) => {
    let known = connections.get(socket);
    if (!known) {
      const peer = deps.proxiedPeer?.(socket) ?? socket.remoteAddress ?? 'unknown';
      known = { peer, address: clientAddress(peer, undefined, deps.config.trustedProxies), trustedPeer: inNetworks(deps.config.trustedProxies, peer) };
      connections.set(socket, known);
    }
    return known;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    if (req.method !== 'POST') {
      const probe = await probeReply(req.method, pathOf(req.url), deps.ready);
      if (probe) return end(res, probe.status, JSON.stringify(probe.body), 'application/json; charset=utf-8');
      res.setHeader('Allow', 'POST');
      return end(res, 405, 'CWMP endpoint: POST only\n');
    }
    const headers = req.headers;
    const sessionId = sessionCookie(headers.cookie || undefined);
    const connection = connectionOf(req.socket);
    const forwardedFor = header(headers['x-forwarded-for']);
    const source = forwardedFor ? clientAddress(connection.peer, forwardedFor, deps.config.trustedProxies) : connection.address;
    const proxied = !!(forwardedFor || header(headers.forwarded)) || connection.trustedPeer;
    const connectionSessionId = proxied ? undefined : socketSessions.get(req.socket);
    // Shed new sessions, never running ones: a device in session holds a lock and tasks.
    if (!sessionId && inflight >= deps.config.maxConcurrent) {
      metrics.cwmpSessions.inc({ outcome: 'overloaded' });
      res.setHeader('Retry-After', '60');
      return end(res, 503, 'ACS overloaded, retry later\n');
    }
    inflight += 1;
    metrics.cwmpInflightRequests.inc();
    try {
      const body = await readCwmpBody(req, deps.config.maxBodyBytes);
      const reply = await deps.engine.handle({
        body,
        sessionId,
        connectionSessionId,
        authorization: headers.authorization || undefined,
        uri: req.url ?? '/',
        source,
        clientCertificate: trusted(deps.certificates, req.socket),
      });
      if (reply.setSession) socketSessions.set(req.socket, reply.setSession);
      // 204 ends the session: the next request on this connection opens a new one.
      if (reply.status === 204) socketSessions.delete(req.socket);
      send(res, reply, deps.secure);
    } catch (err) {
      if (err instanceof BodyError) {
        metrics.cwmpRequests.inc({ kind: 'rejected' });
        deps.log.warn({ event: 'cwmp.bad_body', status: err.status, reason: err.message, source }, 'CWMP body refused');
        res.setHeader('Connection', 'close');
        return end(res, err.status, `${err.message}\n`);
      }
      deps.log.error({ event: 'cwmp.internal_error', err, source, requestId }, 'CWMP request failed');
      end(res, 500, 'Internal error\n');
    } finally {
      inflight -= 1;
      metrics.cwmpInflightRequests.dec();
    }
  };

  return (req, res) => {
    const requestId = requestIdOf(header(req.headers['x-request-id']) ?? '');
    res.setHeader('X-Request-Id', requestId);
    serve(req, res, requestId).catch((err: unknown) => {
      deps.log.error({ event: 'cwmp.internal_error', err, requestId }, 'CWMP request failed');
      if (!res.headersSent) end(res, 500, 'Internal error\n');
      else res.destroy();
    });
  };
}

/** A header node gives as a string, or the first of a repeated one it gives as a list. */
function header(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

/** The request-target without its query, as the probes match it. */
function pathOf(url = '/'): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Ends the response with a body (with its length; text is UTF-8 unless the type says otherwise), or none. */
function end(res: ServerResponse, status: number, body?: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  if (body === undefined || status === 204) {
    res.removeHeader('Content-Type');
    // A 204 carries no length at all (RFC 9110 8.6); any other empty reply says 0.
    if (status !== 204) res.setHeader('Content-Length', 0);
    res.end();
    return;
  }
  res.setHeader('Content-Type', /;\s*charset=/i.test(type) ? type : `${type}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The connection's client certificate, when it is one the ACS believes. */
function trusted(certificates: ClientCertificates | undefined, socket: Socket) {
  const verdict = certificates?.judge(socket);
  return verdict?.status === 'trusted' ? verdict.certificate : undefined;
}

function send(res: ServerResponse, reply: CwmpReply, secure: boolean): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.setSession) res.setHeader('Set-Cookie', `session=${reply.setSession}; Path=/; HttpOnly${secure ? '; Secure' : ''}`);
  // The session is over; a device that drops the cookie spares the next Inform a state lookup.
  else if (reply.status === 204) res.setHeader('Set-Cookie', `session=; Path=/; Max-Age=0; HttpOnly${secure ? '; Secure' : ''}`);
  if (reply.close) res.setHeader('Connection', 'close');
  end(res, reply.status, reply.body, reply.contentType);
}
