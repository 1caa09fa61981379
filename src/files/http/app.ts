import { Transform, type Readable } from 'node:stream';
import Koa from 'koa';
import rangeParser from 'range-parser';
import getRawBody from 'raw-body';
import type { DeviceRepository } from '../../devices/repository';
import type { ClientCertificates } from '../../http/client-certificates';
import { observability } from '../../http/observability';
import { requestId } from '../../http/request-id';
import type { Logger } from '../../log';
import type { DesiredConfigSource } from '../../provisioning/stores/desired';
import { parseUserAgent } from '../../provisioning/phone/identity';
import type { PhoneChannel, PhoneReply, PhoneRequest } from '../../provisioning/phone/channel';
import type { PhoneProfiles } from '../../provisioning/phone/variants';
import type { ProfileRenderer } from '../../provisioning/render/render';
import type { RetailInit } from '../../provisioning/phone/retail-init';
import { FileError } from '../errors';
import type { SignedResource, UrlSigner } from '../signing';
import type { FileStore } from '../store';
import type { TransferLog, TransferLogEntry } from '../transfer-log';
import type { FileInfo } from '../types';
import { pathSegments } from './paths';

export interface FsAppDeps {
  files: FileStore;
  signer: UrlSigner;
  desired: DesiredConfigSource;
  devices: DeviceRepository;
  phones: PhoneChannel;
  /** one-step retail binding at /cisco-init (S18) */
  retail: RetailInit;
  /** what of a profile goes out to a requester that proved itself (a signed URL is proof) */
  phoneProfiles: PhoneProfiles;
  renderer: ProfileRenderer;
  transfers: TransferLog;
  log: Logger;
  ready: () => Promise<boolean>;
  maxReportBytes: number;
  /** a client certificate is required on the phones' channel (ACS_FS_TLS_CLIENT_CA is set) */
  certificateRequired: boolean;
  /** judges client certificates (TLS with ACS_FS_TLS_CLIENT_CA) */
  certificates?: ClientCertificates;
}

/** Per-request facts the transfer log entry is built from. */
interface Exchange {
  entry: Pick<TransferLogEntry, 'direction' | 'resource'> & Partial<Pick<TransferLogEntry, 'deviceId' | 'fileId' | 'range' | 'reason'>>;
  /** bytes of a streamed body counted as they go out */
  streamed?: { bytes: number };
  /** bytes of an upload body read */
  received?: number;
}

/** Body bytes a download sent: counted for streams, the body's size for a buffer that went out. */
function bodyBytes(ctx: Koa.Context, exchange: Exchange, finished: boolean): number {
  if (exchange.streamed) return exchange.streamed.bytes;
  if (!finished || ctx.method === 'HEAD') return 0;
  const body: unknown = ctx.body;
  if (Buffer.isBuffer(body)) return body.length;
  return typeof body === 'string' ? Buffer.byteLength(body) : 0;
}

export interface FsApp {
  app: Koa;
  /** resolves once no request is being handled (or after `timeoutMs`), for a clean shutdown */
  idle(timeoutMs: number): Promise<void>;
}

/**
 * The fs role: stored files and rendered profiles behind per-device signed URLs (what
 * Download RPCs point at), the phones' own resync and report channel under /cisco/ and at
 * the root paths of the phones' default rules, and the one-step retail binding at /cisco-init
 * (retail-init.ts). Every request is logged (who, what, bytes, status) in `file_transfers`.
 * Refusals are RFC 9457 problem documents, except on the phones' paths and /cisco-init where
 * phones get short text bodies.
 */
export function createFsApp(deps: FsAppDeps): FsApp {
  const app = new Koa();
  let inflight = 0;
  let wake: (() => void) | undefined;
  app.use(requestId());
  app.use(observability(deps.ready));
  // Errors Koa reports on its own (a client gone mid-response): logged, not printed.
  app.on('error', (err: Error) => deps.log.debug({ event: 'fs.client_error', err: err.message }, 'fs connection error'));
  app.use(async (ctx) => {
    const started = Date.now();
    const remoteAddress = ctx.ip || ctx.socket.remoteAddress || 'unknown';
    const exchange: Exchange = { entry: { direction: 'download', resource: 'unknown' } };
    // Logged once the handler has decided and the connection is done with, whichever is last:
    // a client that hangs up mid-upload closes the response before the handler answers.
    let pending = 2;
    const record = () => {
      if (--pending > 0) return;
      const finished = ctx.res.writableFinished;
      deps.transfers.record({
        at: new Date(started),
        method: ctx.method,
        path: ctx.path.slice(0, 512),
        status: ctx.status,
        bytes: exchange.entry.direction === 'upload' ? (exchange.received ?? 0) : bodyBytes(ctx, exchange, finished),
        complete: finished,
        remoteAddress,
        ...(ctx.get('User-Agent') ? { userAgent: ctx.get('User-Agent').slice(0, 256) } : {}),
        durationMs: Date.now() - started,
        ...exchange.entry,
      });
    };
    ctx.res.once('close', record);
    inflight += 1;
    try {
      await route(ctx, deps, exchange);
    } finally {
      record();
      if (--inflight === 0) wake?.();
    }
  });
  return {
    app,
    idle: (timeoutMs) =>
      inflight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          }),
  };
}

async function route(ctx: Koa.Context, deps: FsAppDeps, exchange: Exchange): Promise<void> {
  try {
    const segments = pathSegments(ctx.path);
    if (segments[0] === 'files' && segments.length === 3) return await serveFile(ctx, deps, exchange, segments[1], segments[2]);
    if (segments[0] === 'profiles' && segments.length === 3 && segments[2] === 'config.xml') return await serveProfile(ctx, deps, exchange, segments[1]);
    if (isPhonePath(segments)) return await phoneChannel(ctx, deps, exchange);
    if (segments[0] === 'cisco-init' && segments.length <= 2) return await retailInit(ctx, deps, exchange, segments[1] || undefined);
    throw new FileError(404, `nothing is served at ${ctx.path.slice(0, 200)}`);
  } catch (err) {
    if (err instanceof FileError) {
      exchange.entry.reason = err.message;
      problem(ctx, err.status, err.message);
      return;
    }
    // A client that hung up (or a shutdown that closed the stores under it) is no server fault.
    const gone = ctx.req.socket.destroyed;
    deps.log[gone ? 'debug' : 'error']({ event: 'fs.internal_error', err, path: ctx.path.slice(0, 200), clientGone: gone }, 'fs request failed');
    exchange.entry.reason = 'internal error';
    problem(ctx, 500, 'internal error');
  }
}

/**
 * The phones' channel: everything under /cisco/, and a profile file name at the root, where
 * the phones' default rules point (`/$PSN.xml` of the MPP guides, 001 L2559 and 000 L724-734;
 * `/spa$PSN.cfg` and `/$MA.cfg` of the Small Business guide, 003 L2319 and L1155; the guides'
 * `CP-6841-3PCC$MA.cfg` and `basic.txt`, 001 L2038 and 000 L306). Anything else at the root is
 * no phone's and stays a 404 problem document.
 */
const ROOT_PROFILE = /^[^/]+\.(xml|cfg|txt)$/i;

function isPhonePath(segments: string[]): boolean {
  return (segments[0] === 'cisco' && segments.length > 1) || (segments.length === 1 && ROOT_PROFILE.test(segments[0]));
}

function onlyGetOrHead(ctx: Koa.Context): void {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    ctx.set('Allow', 'GET, HEAD');
    throw new FileError(405, `${ctx.method} is not allowed here: GET or HEAD`);
  }
}

/** A stored file, by its signed URL; Range, HEAD, ETag and If-None-Match as HTTP defines them. */
async function serveFile(ctx: Koa.Context, deps: FsAppDeps, exchange: Exchange, fileId: string, name: string): Promise<void> {
  exchange.entry.resource = 'file';
  exchange.entry.fileId = fileId.slice(0, 64);
  onlyGetOrHead(ctx);
  const deviceId = verifiedDevice(ctx, deps, exchange, { kind: 'file', fileId }, ctx.query.device);
  const [file] = await Promise.all([deps.files.get(fileId), checkRequester(ctx, deps, deviceId)]);
  if (!file || file.filename !== name) throw new FileError(404, `file ${fileId.slice(0, 64)}/${name.slice(0, 128)} does not exist (any more)`);
  sendFile(ctx, deps, exchange, file);
}

function sendFile(ctx: Koa.Context, deps: FsAppDeps, exchange: Exchange, file: FileInfo): void {
  const etag = `"${file.sha256}"`;
  ctx.set('ETag', etag);
  ctx.set('Last-Modified', file.uploadedAt.toUTCString());
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Cache-Control', 'private, no-transform');
  ctx.type = file.contentType;
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  let range: { start: number; end: number } | undefined;
  const header = ctx.get('Range');
  const ifRange = ctx.get('If-Range');
  if (header && (!ifRange || ifRange === etag)) {
    const parsed = rangeParser(file.size, header, { combine: true });
    if (parsed === -1) {
      ctx.set('Content-Range', `bytes */${file.size}`);
      throw new FileError(416, `range ${header.slice(0, 80)} is outside the file's ${file.size} bytes`);
    }
    // -2 (malformed) and several ranges: the whole file, as RFC 9110 allows.
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) {
      range = parsed[0];
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
      exchange.entry.range = header.slice(0, 80);
    }
  }
  ctx.length = range ? range.end - range.start + 1 : file.size;
  if (ctx.method === 'HEAD') return;
  const counter = { bytes: 0 };
  exchange.streamed = counter;
  const source: Readable = deps.files.open(file, range);
  const counting = new Transform({
    transform(chunk: Buffer, _enc, done) {
      counter.bytes += chunk.length;
      done(null, chunk);
    },
  });
  source.on('error', (err) => {
    deps.log.warn({ event: 'fs.stream_failed', fileId: file.id, err: err.message }, 'file stream failed mid-way');
    counting.destroy(err);
  });
  ctx.body = source.pipe(counting);
}

/** The device's rendered profile, by its signed URL (the Vendor Configuration File Download). */
async function serveProfile(ctx: Koa.Context, deps: FsAppDeps, exchange: Exchange, device: string): Promise<void> {
  exchange.entry.resource = 'profile';
  onlyGetOrHead(ctx);
  if (ctx.query.device !== undefined) throw new FileError(400, 'a profile URL names its device in the path only');
  const deviceId = verifiedDevice(ctx, deps, exchange, { kind: 'profile' }, device);
  const [doc, desired] = await Promise.all([deps.devices.get(deviceId, { deviceId: 1, softwareVersion: 1, hardwareVersion: 1, mac: 1, remoteAddress: 1 }), deps.desired.get(deviceId)]);
  if (!doc) throw new FileError(404, `device ${deviceId} does not exist (any more)`);
  requesterMatches(ctx, doc.mac);
  if (!desired) throw new FileError(404, `device ${deviceId} has no desired configuration`);
  const rendered = deps.renderer.render(
    {
      deviceId,
      productClass: doc.deviceId?.productClass,
      serialNumber: doc.deviceId?.serialNumber,
      mac: doc.mac,
      softwareVersion: doc.softwareVersion,
      hardwareVersion: doc.hardwareVersion,
      ip: doc.remoteAddress,
    },
    desired,
    // The signed URL proves the device: its rules get the token its later resyncs prove themselves with.
    { variant: deps.phoneProfiles.proven(deviceId, desired, { host: ctx.get('Host') || undefined, secure: ctx.secure }) },
  );
  ctx.set('ETag', rendered.etag);
  ctx.set('Cache-Control', 'private, no-store');
  if (rendered.contentEncoding) ctx.set('Content-Encoding', rendered.contentEncoding);
  ctx.type = rendered.contentType;
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.body = rendered.body;
}

/** Checks the signature of the URL; returns the device it was made for. */
function verifiedDevice(ctx: Koa.Context, deps: FsAppDeps, exchange: Exchange, resource: SignedResource, device: string | string[] | undefined): string {
  const { expires, sig } = ctx.query;
  const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
  const deviceId = one(device) ?? '';
  if (deviceId) exchange.entry.deviceId = deviceId.slice(0, 256);
  deps.signer.verify({ resource, deviceId, expires: Number(one(expires) ?? NaN) }, one(sig));
  return deviceId;
}

/** A URL made for one device, fetched by a phone whose User-Agent names another MAC, is refused. */
async function checkRequester(ctx: Koa.Context, deps: FsAppDeps, deviceId: string): Promise<void> {
  if (!parseUserAgent(ctx.get('User-Agent'))?.mac) return;
  const doc = await deps.devices.get(deviceId, { mac: 1 });
  requesterMatches(ctx, doc?.mac);
}

function requesterMatches(ctx: Koa.Context, deviceMac: string | undefined): void {
  const uaMac = parseUserAgent(ctx.get('User-Agent'))?.mac;
  if (uaMac && deviceMac && uaMac !== deviceMac) throw new FileError(403, `this URL was made for another device (the User-Agent names MAC ${uaMac})`);
}

async function phoneChannel(ctx: Koa.Context, deps: FsAppDeps, exchange: Exchange): Promise<void> {
  const method = ctx.method;
  if (!['GET', 'HEAD', 'POST', 'PUT'].includes(method)) {
    ctx.set('Allow', 'GET, HEAD, POST, PUT');
    throw new FileError(405, `${method} is not allowed here`);
  }
  const upload = method === 'PUT' || method === 'POST';
  exchange.entry.resource = upload ? 'report' : 'profile';
  if (upload) exchange.entry.direction = 'upload';
  let body: Buffer = Buffer.alloc(0);
  if (upload) {
    try {
      body = await getRawBody(ctx.req, { limit: deps.maxReportBytes, length: ctx.get('Content-Length') || undefined });
      exchange.received = body.length;
    } catch (err) {
      const e = err as { type?: string; received?: number };
      exchange.received = e.received ?? 0;
      if (e.type === 'entity.too.large') throw new FileError(413, `upload larger than ${deps.maxReportBytes} bytes`);
      const cut = e.type === 'request.size.invalid' || e.type === 'request.aborted';
      throw new FileError(400, cut ? `upload truncated: ${e.received ?? 0} of the ${ctx.get('Content-Length') || '?'} bytes announced arrived` : `upload unreadable (${e.type ?? 'connection closed'})`);
    }
  }
  sendPhoneReply(ctx, exchange, await deps.phones.handle(phoneRequest(ctx, deps), body));
}

/** `/cisco-init/<account>` binds the phone of the client certificate to the account; `/cisco-init` serves it. */
async function retailInit(ctx: Koa.Context, deps: FsAppDeps, exchange: Exchange, account: string | undefined): Promise<void> {
  exchange.entry.resource = 'profile';
  sendPhoneReply(ctx, exchange, await deps.retail.handle(phoneRequest(ctx, deps), account));
}

/** What a phone's request carries, as the phone channels read it. */
function phoneRequest(ctx: Koa.Context, deps: FsAppDeps): PhoneRequest {
  const verdict = deps.certificates?.judge(ctx.req.socket);
  const certificate =
    verdict?.status === 'trusted' ? { verified: true, names: verdict.certificate.names } : verdict?.status === 'refused' && verdict.names ? { verified: false, names: verdict.names } : undefined;
  return {
    method: ctx.method,
    target: ctx.url,
    userAgent: ctx.get('User-Agent') || undefined,
    authorization: ctx.get('Authorization') || undefined,
    contentEncoding: ctx.get('Content-Encoding') || undefined,
    source: ctx.ip || ctx.socket.remoteAddress || 'unknown',
    host: ctx.get('Host') || undefined,
    secure: ctx.secure,
    certificate,
    certificateRequired: deps.certificateRequired,
  };
}

function sendPhoneReply(ctx: Koa.Context, exchange: Exchange, reply: PhoneReply): void {
  if (reply.deviceId) exchange.entry.deviceId = reply.deviceId;
  if (reply.reason) exchange.entry.reason = reply.reason;
  if (reply.resource) {
    exchange.entry.resource = reply.resource;
    exchange.entry.direction = reply.resource === 'report' ? 'upload' : 'download';
  }
  ctx.status = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
  ctx.type = reply.contentType;
  ctx.body = reply.body;
}

function problem(ctx: Koa.Context, status: number, detail: string): void {
  ctx.status = status;
  let phone = ctx.path.startsWith('/cisco-init');
  try {
    phone ||= isPhonePath(pathSegments(ctx.path));
  } catch {
    phone ||= ctx.path.startsWith('/cisco/');
  }
  if (phone) {
    ctx.type = 'text/plain';
    ctx.body = `${detail}\n`;
    return;
  }
  ctx.type = 'application/problem+json';
  ctx.body = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  416: 'Range Not Satisfiable',
  500: 'Internal Server Error',
};
