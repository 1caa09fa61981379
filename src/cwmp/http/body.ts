import type { IncomingMessage } from 'node:http';
import { promisify, TextDecoder } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import getRawBody from 'raw-body';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Reads a CWMP request body as text: enforces the size limit before and after
 * decompression (a small gzip bomb must not expand past it), undoes gzip/deflate, and decodes
 * by the Content-Type charset, else the XML declaration, else UTF-8 (CPEs send ISO-8859-1 too).
 */
export async function readCwmpBody(req: IncomingMessage, limit: number): Promise<string> {
  let raw: Buffer;
  try {
    raw = await getRawBody(req, { limit, length: req.headers['content-length'] });
  } catch (err) {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') throw new BodyError(413, `body larger than ${limit} bytes`);
    throw new BodyError(400, `unreadable body (${e.type ?? 'aborted'})`);
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    try {
      raw = await (encoding === 'deflate' ? inflateAsync : gunzipAsync)(raw, { maxOutputLength: limit });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new BodyError(413, `body larger than ${limit} bytes once decompressed`);
      throw new BodyError(400, `corrupt ${encoding} body`);
    }
  } else if (encoding !== 'identity' && encoding !== '') {
    throw new BodyError(415, `unsupported Content-Encoding ${encoding.slice(0, 32)}`);
  }
  return decodeText(raw, req.headers['content-type']);
}

/** One decoder per charset label: decoding a whole buffer (no `stream`) leaves none in a state. */
const decoders = new Map<string, TextDecoder>();
const MAX_DECODERS = 64;

export function decodeText(raw: Buffer, contentType: string | undefined): string {
  const label = charsetOf(contentType) ?? xmlDeclarationEncoding(raw) ?? 'utf-8';
  let decoder = decoders.get(label);
  if (!decoder) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      throw new BodyError(415, `unsupported charset ${label.slice(0, 32)}`);
    }
    // Labels come from the network: past a handful, stop remembering new ones.
    if (decoders.size < MAX_DECODERS) decoders.set(label, decoder);
  }
  return decoder.decode(raw);
}

function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}

function xmlDeclarationEncoding(raw: Buffer): string | undefined {
  const head = raw.subarray(0, 200).toString('latin1');
  return /^(?:\uFEFF|\xEF\xBB\xBF)?\s*<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
}

/**
 * The `session` cookie. CPEs are sloppy: some separate cookies with `,` instead of `;`, some
 * send several Cookie headers (Node joins them with `; `).
 */
export function sessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === 'session') return part.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return undefined;
}
