/**
 * TFTP packets (RFC 1350) and option negotiation (RFC 2347 OACK, RFC 2348 blksize, RFC 2349
 * timeout and tsize). Pure: bytes in, values out, and back. The server (server.ts) does the I/O.
 */

export const OP = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

/** RFC 1350 error codes (8 is RFC 2347's "option negotiation refused"). */
export const ERR = {
  UNDEFINED: 0,
  NOT_FOUND: 1,
  ACCESS: 2,
  DISK_FULL: 3,
  ILLEGAL: 4,
  UNKNOWN_TID: 5,
  EXISTS: 6,
  NO_USER: 7,
  OPTIONS: 8,
} as const;

/** The block size of RFC 1350, used when the client asks for none. */
export const DEFAULT_BLKSIZE = 512;
/** RFC 2348's bounds on the blksize option. */
export const MIN_BLKSIZE = 8;
export const MAX_BLKSIZE = 65464;
/** Block numbers are 16 bits; this server does not wrap them (RFC 1350 defines no rollover). */
export const MAX_BLOCK = 65535;
/** A request is at most one datagram: RFC 2347 limits request packets to 512 bytes. */
export const MAX_REQUEST_BYTES = 512;

export class TftpPacketError extends Error {
  override name = 'TftpPacketError';
}

export interface Request {
  kind: 'read' | 'write';
  filename: string;
  /** lower case: netascii, octet or mail */
  mode: string;
  /** option names lower-cased, values as sent */
  options: Record<string, string>;
}

export type Packet =
  | ({ op: typeof OP.RRQ | typeof OP.WRQ } & Request)
  | { op: typeof OP.ACK; block: number }
  | { op: typeof OP.ERROR; code: number; message: string }
  | { op: typeof OP.DATA; block: number; data: Buffer }
  | { op: typeof OP.OACK; options: Record<string, string> };

/** The NUL-terminated ASCII strings of a request or OACK, after the opcode. */
function strings(buf: Buffer, from: number): string[] {
  if (buf.length <= from || buf[buf.length - 1] !== 0) throw new TftpPacketError('strings not NUL-terminated');
  const text = buf.subarray(from, buf.length - 1).toString('latin1');
  return text.split('\0');
}

function optionsOf(pairs: string[]): Record<string, string> {
  if (pairs.length % 2 !== 0) throw new TftpPacketError('an option without a value');
  const out: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i].toLowerCase();
    if (!name) throw new TftpPacketError('an empty option name');
    // RFC 2347: an option named twice is ambiguous; the request is refused.
    if (name in out) throw new TftpPacketError(`option ${name} given twice`);
    out[name] = pairs[i + 1];
  }
  return out;
}

export function decode(buf: Buffer): Packet {
  if (buf.length < 4) throw new TftpPacketError(`packet of ${buf.length} bytes is too short`);
  const op = buf.readUInt16BE(0);
  switch (op) {
    case OP.RRQ:
    case OP.WRQ: {
      if (buf.length > MAX_REQUEST_BYTES) throw new TftpPacketError(`request longer than ${MAX_REQUEST_BYTES} bytes`);
      const [filename, mode, ...rest] = strings(buf, 2);
      if (!filename) throw new TftpPacketError('no file name');
      if (mode === undefined) throw new TftpPacketError('no transfer mode');
      return { op, kind: op === OP.RRQ ? 'read' : 'write', filename, mode: mode.toLowerCase(), options: optionsOf(rest) };
    }
    case OP.ACK:
      return { op, block: buf.readUInt16BE(2) };
    case OP.ERROR:
      return { op, code: buf.readUInt16BE(2), message: buf.length > 5 ? buf.subarray(4, buf.indexOf(0, 4) < 0 ? buf.length : buf.indexOf(0, 4)).toString('latin1') : '' };
    case OP.DATA:
      return { op, block: buf.readUInt16BE(2), data: buf.subarray(4) };
    case OP.OACK:
      return { op, options: optionsOf(strings(buf, 2)) };
    default:
      throw new TftpPacketError(`unknown opcode ${op}`);
  }
}

export function encodeData(block: number, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(OP.DATA, 0);
  head.writeUInt16BE(block, 2);
  return Buffer.concat([head, data]);
}

export function encodeError(code: number, message: string): Buffer {
  // Printable ASCII only, and short: the message goes to a phone's log.
  const text = Buffer.from(message.replace(/[^\x20-\x7e]/g, '?').slice(0, 200), 'latin1');
  const out = Buffer.alloc(5 + text.length);
  out.writeUInt16BE(OP.ERROR, 0);
  out.writeUInt16BE(code, 2);
  text.copy(out, 4);
  return out;
}

export function encodeOack(options: Record<string, string>): Buffer {
  const body = Object.entries(options).flatMap(([k, v]) => [k, v]).map((s) => `${s}\0`).join('');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(OP.OACK, 0);
  return Buffer.concat([head, Buffer.from(body, 'latin1')]);
}

/** Encodes a request, for tests and tools that speak to the server. */
export function encodeRequest(r: Request): Buffer {
  const parts = [r.filename, r.mode, ...Object.entries(r.options).flat()].map((s) => `${s}\0`).join('');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(r.kind === 'read' ? OP.RRQ : OP.WRQ, 0);
  return Buffer.concat([head, Buffer.from(parts, 'latin1')]);
}

export function encodeAck(block: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt16BE(OP.ACK, 0);
  out.writeUInt16BE(block, 2);
  return out;
}

export interface NegotiationBounds {
  /** the largest blksize the server grants (a larger request is lowered to it, as RFC 2348 allows) */
  maxBlksize: number;
  /** the retransmission timeout (seconds) when the client asks for none */
  defaultTimeoutSeconds: number;
}

export interface Negotiated {
  blksize: number;
  timeoutSeconds: number;
  /** the options to acknowledge in an OACK; empty: answer with DATA 1 directly (RFC 2347) */
  oack: Record<string, string>;
}

/**
 * Which options a read request gets. Unknown options are ignored (RFC 2347); a blksize
 * outside 8..65464, a timeout outside 1..255 or a tsize other than 0 on a read are not
 * acknowledged, so the client falls back to the RFC 1350 defaults.
 */
export function negotiate(options: Record<string, string>, size: number, bounds: NegotiationBounds): Negotiated {
  const oack: Record<string, string> = {};
  let blksize = DEFAULT_BLKSIZE;
  let timeoutSeconds = bounds.defaultTimeoutSeconds;
  const int = (v: string | undefined) => (v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : undefined);
  const asked = int(options.blksize);
  if (asked !== undefined && asked >= MIN_BLKSIZE && asked <= MAX_BLKSIZE) {
    blksize = Math.min(asked, bounds.maxBlksize);
    oack.blksize = String(blksize);
  }
  const timeout = int(options.timeout);
  if (timeout !== undefined && timeout >= 1 && timeout <= 255) {
    timeoutSeconds = timeout;
    oack.timeout = String(timeout);
  }
  if (int(options.tsize) === 0) oack.tsize = String(size);
  return { blksize, timeoutSeconds, oack };
}

/** Blocks a transfer of `size` bytes takes: a last, short (possibly empty) block ends it. */
export function blocksFor(size: number, blksize: number): number {
  return Math.floor(size / blksize) + 1;
}
