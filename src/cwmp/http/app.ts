import type { Socket } from 'node:net';
import Koa from 'koa';
import type { Config } from '../../config';
import { clientAddress } from '../../http/client-address';
import type { ClientCertificates } from '../../http/client-certificates';
import { inNetworks } from '../../http/networks';
import { observability } from '../../http/observability';
import { requestId } from '../../http/request-id';
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
 */
export function createCwmpApp(deps: CwmpAppDeps): Koa {
  const app = new Koa();
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
  app.use(requestId());
  app.use(observability(deps.ready));
  app.use(async (ctx) => {
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      ctx.set('Allow', 'POST');
      ctx.body = 'CWMP endpoint: POST only\n';
      return;
    }
    const sessionId = sessionCookie(ctx.get('Cookie') || undefined);
    const connection = connectionOf(ctx.req.socket);
    const forwardedFor = ctx.get('X-Forwarded-For') || undefined;
    const source = forwardedFor ? clientAddress(connection.peer, forwardedFor, deps.config.trustedProxies) : connection.address;
    const proxied = !!(forwardedFor || ctx.get('Forwarded')) || connection.trustedPeer;
    const connectionSessionId = proxied ? undefined : socketSessions.get(ctx.req.socket);
    // Shed new sessions, never running ones: a device in session holds a lock and tasks.
    if (!sessionId && inflight >= deps.config.maxConcurrent) {
      metrics.cwmpSessions.inc({ outcome: 'overloaded' });
      ctx.status = 503;
      ctx.set('Retry-After', '60');
      ctx.body = 'ACS overloaded, retry later\n';
      return;
    }
    inflight += 1;
    metrics.cwmpInflightRequests.inc();
    try {
      const body = await readCwmpBody(ctx.req, deps.config.maxBodyBytes);
      const reply = await deps.engine.handle({
        body,
        sessionId,
        connectionSessionId,
        authorization: ctx.get('Authorization') || undefined,
        uri: ctx.url,
        source,
        clientCertificate: trusted(deps.certificates, ctx.req.socket),
      });
      if (reply.setSession) socketSessions.set(ctx.req.socket, reply.setSession);
      // 204 ends the session: the next request on this connection opens a new one.
      if (reply.status === 204) socketSessions.delete(ctx.req.socket);
      send(ctx, reply, deps.secure);
    } catch (err) {
      if (err instanceof BodyError) {
        metrics.cwmpRequests.inc({ kind: 'rejected' });
        deps.log.warn({ event: 'cwmp.bad_body', status: err.status, reason: err.message, source }, 'CWMP body refused');
        ctx.status = err.status;
        ctx.body = `${err.message}\n`;
        ctx.set('Connection', 'close');
        return;
      }
      deps.log.error({ event: 'cwmp.internal_error', err, source, requestId: ctx.state.requestId }, 'CWMP request failed');
      ctx.status = 500;
      ctx.body = 'Internal error\n';
    } finally {
      inflight -= 1;
      metrics.cwmpInflightRequests.dec();
    }
  });
  return app;
}

/** The connection's client certificate, when it is one the ACS believes. */
function trusted(certificates: ClientCertificates | undefined, socket: Socket) {
  const verdict = certificates?.judge(socket);
  return verdict?.status === 'trusted' ? verdict.certificate : undefined;
}

function send(ctx: Koa.Context, reply: CwmpReply, secure: boolean): void {
  ctx.status = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
  if (reply.setSession) ctx.set('Set-Cookie', `session=${reply.setSession}; Path=/; HttpOnly${secure ? '; Secure' : ''}`);
  // The session is over; a device that drops the cookie spares the next Inform a state lookup.
  else if (reply.status === 204) ctx.set('Set-Cookie', `session=; Path=/; Max-Age=0; HttpOnly${secure ? '; Secure' : ''}`);
  if (reply.close) ctx.set('Connection', 'close');
  if (reply.body !== undefined && reply.status !== 204) {
    ctx.type = reply.contentType ?? 'text/plain';
    ctx.body = reply.body;
  } else {
    ctx.body = null;
  }
}
