import type { Dispatcher } from 'undici';
import { answerChallenge, pickChallenge } from '../cwmp/auth/digest';
import type { TransferFault } from '../cwmp/soap/types';
import { versionOfLoadName } from '../files/firmware';
import { FILE_TYPES, type Device, type SessionEffects, type Transfer } from './device';
import { basicAuthorization } from './http/client-auth';
import { headerList, readLimitedBuffer } from './http/transport';
import { SessionFailure } from './outcome';

/** A file a Download fetched. */
export interface DownloadedFile {
  commandKey: string;
  fileType: string;
  url: string;
  targetFileName: string;
  body: Buffer;
}

/**
 * Extension points for what a phone does with a downloaded file. Throw a TransferError to
 * fail the transfer with a given CWMP code.
 */
export interface TransferHooks {
  /**
   * The SoftwareVersion a firmware image installs; undefined keeps the current one.
   * Default: the file name when it looks like a Cisco load ("sip88xx.12-0-2MPP-1.loads").
   */
  firmwareVersion?(file: DownloadedFile, device: Device): string | undefined;
  /** Applies a "3 Vendor Configuration File" (e.g. a Cisco XML profile) to the device. */
  applyConfigFile?(file: DownloadedFile, device: Device): void | Promise<void>;
}

export class TransferError extends Error {
  override name = 'TransferError';
  constructor(
    readonly faultCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface TransferOptions {
  dispatcher: Dispatcher;
  maxBytes: number;
  timeoutMs: number;
  /** every download fails with 9010 */
  failDownloads: boolean;
  hooks: TransferHooks;
  userAgent: string;
  signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** Runs a queued transfer to its end and records the outcome on the device. */
export async function performTransfer(device: Device, t: Transfer, opts: TransferOptions): Promise<SessionEffects> {
  const started = Date.now();
  device.transferStarted(t);
  let fault: TransferFault = { faultCode: 0, faultString: '' };
  let version: string | undefined;
  try {
    if (t.method === 'Upload') await upload(device, t, opts);
    else version = await download(device, t, opts);
  } catch (err) {
    fault = err instanceof TransferError ? { faultCode: err.faultCode, faultString: err.message } : { faultCode: 9002, faultString: `Internal error: ${String(err)}` };
  }
  return device.transferFinished(t, fault, started, version);
}

async function download(device: Device, t: Transfer, opts: TransferOptions): Promise<string | undefined> {
  if (opts.failDownloads) throw new TransferError(9010, 'Download failed (simulated failure)');
  const res = await fetchWithAuth(t, 'GET', undefined, opts);
  if (res.status === 401) throw new TransferError(9012, 'File transfer server authentication failure');
  if (res.status === 403 || res.status === 404 || res.status === 410) throw new TransferError(9016, `Unable to access file: HTTP ${res.status}`);
  if (res.status !== 200) throw new TransferError(9010, `File transfer failure: HTTP ${res.status}`);
  const body = res.body as Buffer;
  if (t.fileSize > 0 && body.length !== t.fileSize) {
    throw new TransferError(9018, `File corrupted: ${body.length} bytes, FileSize said ${t.fileSize}`);
  }
  const file: DownloadedFile = { commandKey: t.commandKey, fileType: t.fileType, url: t.url, targetFileName: t.targetFileName, body };
  if (t.fileType === FILE_TYPES.FIRMWARE) {
    return opts.hooks.firmwareVersion ? opts.hooks.firmwareVersion(file, device) : firmwareVersionFromName(file);
  }
  if (t.fileType === FILE_TYPES.VENDOR_CONFIG && opts.hooks.applyConfigFile) {
    try {
      await opts.hooks.applyConfigFile(file, device);
    } catch (err) {
      if (err instanceof TransferError) throw err;
      throw new TransferError(9018, `File corrupted: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return undefined;
}

async function upload(device: Device, t: Transfer, opts: TransferOptions): Promise<void> {
  const body = t.fileType === FILE_TYPES.UPLOAD_CONFIG ? configDump(device) : `${new Date().toISOString()} simulated log of ${device.model.factory.serialNumber}\n`;
  const res = await fetchWithAuth(t, 'PUT', body, opts);
  if (res.status === 401) throw new TransferError(9012, 'File transfer server authentication failure');
  if (res.status < 200 || res.status > 299) throw new TransferError(9011, `Upload failure: HTTP ${res.status}`);
}

/** The default firmware hook: a Cisco load name ("sip88xx.12-0-2MPP-1.loads") is the version. */
export function firmwareVersionFromName(file: Pick<DownloadedFile, 'url' | 'targetFileName'>): string | undefined {
  const name = file.targetFileName || decodeURIComponent(new URL(file.url).pathname.split('/').pop() ?? '');
  return versionOfLoadName(name);
}

function configDump(device: Device): string {
  const m = device.model;
  return `${m
    .parameterNames('')
    .map((name) => `${name}=${String(m.read(name))}`)
    .join('\n')}\n`;
}

/** An HTTP exchange for a transfer: redirects followed, one 401 answered (Digest or Basic). */
async function fetchWithAuth(
  t: Transfer,
  method: 'GET' | 'PUT',
  body: string | undefined,
  opts: TransferOptions,
): Promise<{ status: number; body?: Buffer }> {
  let url = new URL(t.url);
  let authorization: string | undefined;
  let answered = false;
  for (let hop = 0; hop <= MAX_REDIRECTS + 1; hop++) {
    const headers: Record<string, string> = { 'user-agent': opts.userAgent };
    if (authorization) headers.authorization = authorization;
    let res: Dispatcher.ResponseData;
    try {
      res = await opts.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers,
        body,
        signal: opts.signal,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      });
    } catch (err) {
      throw new TransferError(9015, `Unable to contact file server: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.statusCode === 401 && !answered && (t.username !== '' || t.password !== '')) {
      const challenges = headerList(res.headers['www-authenticate']);
      await res.body.dump();
      const digest = pickChallenge(challenges);
      const creds = { username: t.username, password: t.password };
      if (digest) authorization = answerChallenge(digest, { ...creds, method, uri: url.pathname + url.search });
      else if (challenges.some((c) => /^\s*basic\b/i.test(c))) authorization = basicAuthorization(creds);
      else return { status: 401 };
      answered = true;
      continue;
    }
    const location = headerList(res.headers.location)[0];
    if (REDIRECTS.has(res.statusCode) && location) {
      await res.body.dump();
      url = new URL(location, url);
      authorization = undefined;
      answered = false;
      continue;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      return { status: res.statusCode };
    }
    try {
      return { status: 200, body: await readLimitedBuffer(res.body, opts.maxBytes) };
    } catch (err) {
      if (err instanceof SessionFailure) throw new TransferError(9010, `File larger than ${opts.maxBytes} bytes`);
      throw new TransferError(9010, `File transfer failure: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new TransferError(9010, 'Too many redirects');
}
