import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { CertificateWatch, type ServedFile } from '../certs/expiry';
import type { Logger } from '../log';

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
  /** PEM CRLs checked against client certificates (ACS_TLS_CRL_FILE) */
  crlFile?: string;
  /** with TLS: watch the served certificates' expiry and reload them when their files change */
  watch?: { log: Logger; warnDays: number };
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

/**
 * The TLS settings of a role, read from its files. Client certificates are requested, not
 * required: a device without one may still log in with credentials, and what a presented
 * certificate is worth is decided per connection (http/client-certificates.ts).
 */
function secureContext(tls: TlsFiles, crlFile: string | undefined): https.ServerOptions {
  return {
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    ...(tls.clientCaFile
      ? { ca: readFileSync(tls.clientCaFile), requestCert: true, rejectUnauthorized: false, ...(crlFile ? { crl: readFileSync(crlFile) } : {}) }
      : {}),
  };
}

function servedFiles(tls: TlsFiles): ServedFile[] {
  return [{ use: 'server', file: tls.certFile }, ...(tls.clientCaFile ? [{ use: 'client-ca' as const, file: tls.clientCaFile }] : [])];
}

/** Serves a Koa app (or a plain request listener) over HTTP or HTTPS and closes it gracefully. */
export async function listen(name: string, app: Koa | http.RequestListener, options: ListenOptions): Promise<RunningRole & { server: http.Server }> {
  const handler = typeof app === 'function' ? app : app.callback();
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const timeouts = { headersTimeout, requestTimeout, connectionsCheckingInterval: connectionsCheckingInterval(Math.min(headersTimeout, requestTimeout)) };
  const tls = options.tls;
  const server = tls ? https.createServer({ ...timeouts, ...secureContext(tls, options.crlFile) }, handler) : http.createServer(timeouts, handler);
  const watch =
    tls && options.watch
      ? new CertificateWatch({
          role: name,
          files: servedFiles(tls),
          warnDays: options.watch.warnDays,
          log: options.watch.log,
          onChange: () => reload(server as https.Server, name, tls, options),
        })
      : undefined;
  server.keepAliveTimeout = options.keepAliveMs ?? 5000;
  options.prepare?.(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  watch?.start();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    name,
    server,
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        watch?.stop();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** New connections get the renewed files; a broken renewal keeps the certificate being served. */
function reload(server: https.Server, name: string, tls: TlsFiles, options: ListenOptions): void {
  const log = options.watch!.log;
  try {
    server.setSecureContext(secureContext(tls, options.crlFile));
    log.info({ event: 'tls.reloaded', role: name, file: tls.certFile }, `${name}: TLS certificate files changed, reloaded`);
  } catch (err) {
    log.error({ event: 'tls.reload_failed', role: name, err: (err as Error).message }, `${name}: TLS files changed but cannot be loaded; still serving the previous ones`);
  }
}
