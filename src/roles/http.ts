import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface RunningRole {
  name: string;
  /** base URL the role listens on; none for roles without a port */
  url?: string;
  close(): Promise<void>;
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
}

export interface ListenOptions {
  host: string;
  port: number;
  tls?: TlsFiles;
  /** how long an idle keep-alive connection stays open (CWMP sessions span several requests) */
  keepAliveMs?: number;
  /** how long a client may take to send a request's headers, and the whole request */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** called with the server before it listens (to see its connections first) */
  prepare?: (server: http.Server) => void;
}

/**
 * Node enforces headersTimeout and requestTimeout only when it checks its connections, every
 * 30 s by default: a client trickling its headers would hold a connection three times longer
 * than configured. Checking ten times per timeout (within bounds) makes the limits act on time.
 */
export function connectionsCheckingInterval(timeoutMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(timeoutMs / 10)));
}

/** Serves a Koa app over HTTP or HTTPS and closes it gracefully. */
export async function listen(name: string, app: Koa, options: ListenOptions): Promise<RunningRole & { server: http.Server }> {
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const timeouts = { headersTimeout, requestTimeout, connectionsCheckingInterval: connectionsCheckingInterval(Math.min(headersTimeout, requestTimeout)) };
  const server = options.tls
    ? https.createServer(
        {
          ...timeouts,
          cert: readFileSync(options.tls.certFile),
          key: readFileSync(options.tls.keyFile),
          ...(options.tls.clientCaFile ? { ca: readFileSync(options.tls.clientCaFile), requestCert: true, rejectUnauthorized: false } : {}),
        },
        app.callback(),
      )
    : http.createServer(timeouts, app.callback());
  server.keepAliveTimeout = options.keepAliveMs ?? 5000;
  options.prepare?.(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    name,
    server,
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
