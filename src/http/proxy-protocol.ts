import { isIP, type Server, type Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import { normaliseAddress } from './client-address';
import { inNetworks, type Networks } from './networks';

/**
 * The PROXY protocol (HAProxy's, versions 1 and 2), as TCP load balancers send it at the start
 * of a connection to pass on the client's address. Only the source address is used; LOCAL
 * connections (the balancer's own health checks) and UNKNOWN or non-IP families keep the peer's.
 */
export type ProxyParse =
  | { state: 'incomplete' }
  /** the connection does not start with a PROXY header */
  | { state: 'absent' }
  | { state: 'invalid'; reason: string }
  | { state: 'parsed'; length: number; source?: string };

const V1 = Buffer.from('PROXY ', 'latin1');
const V1_MAX = 107;
const V2 = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** a v2 header's own length plus its TLVs; balancers send a few dozen bytes of TLVs */
const V2_MAX = 16 + 2048;

function startsLike(buf: Buffer, signature: Buffer): boolean {
  const n = Math.min(buf.length, signature.length);
  return buf.subarray(0, n).equals(signature.subarray(0, n));
}

/** Parses the PROXY header at the start of `buf`, or says what more it needs. */
export function parseProxyHeader(buf: Buffer): ProxyParse {
  if (buf.length === 0) return { state: 'incomplete' };
  if (startsLike(buf, V1)) return buf.length < V1.length ? { state: 'incomplete' } : parseV1(buf);
  if (startsLike(buf, V2)) return buf.length < 16 ? { state: 'incomplete' } : parseV2(buf);
  return { state: 'absent' };
}

function parseV1(buf: Buffer): ProxyParse {
  const end = buf.subarray(0, V1_MAX).indexOf('\r\n');
  if (end < 0) return buf.length >= V1_MAX ? { state: 'invalid', reason: 'PROXY v1 header longer than 107 bytes' } : { state: 'incomplete' };
  const line = buf.subarray(0, end).toString('latin1');
  const parts = line.split(' ');
  const length = end + 2;
  if (parts[1] === 'UNKNOWN') return { state: 'parsed', length };
  const [, family, source, destination, sourcePort, destinationPort] = parts;
  const want = family === 'TCP4' ? 4 : family === 'TCP6' ? 6 : 0;
  if (!want || parts.length !== 6) return { state: 'invalid', reason: 'malformed PROXY v1 header' };
  if (isIP(source) !== want || isIP(destination) !== want || !isPort(sourcePort) || !isPort(destinationPort)) {
    return { state: 'invalid', reason: 'malformed PROXY v1 addresses' };
  }
  return { state: 'parsed', length, source: normaliseAddress(source) };
}

function isPort(text: string): boolean {
  return /^(0|[1-9]\d{0,4})$/.test(text) && Number(text) <= 65535;
}

function parseV2(buf: Buffer): ProxyParse {
  const versionCommand = buf[12];
  if (versionCommand >> 4 !== 2) return { state: 'invalid', reason: 'unknown PROXY protocol version' };
  const command = versionCommand & 0x0f;
  if (command > 1) return { state: 'invalid', reason: 'unknown PROXY v2 command' };
  const length = 16 + buf.readUInt16BE(14);
  if (length > V2_MAX) return { state: 'invalid', reason: 'PROXY v2 header too long' };
  if (buf.length < length) return { state: 'incomplete' };
  // LOCAL: the balancer speaks for itself
  if (command === 0) return { state: 'parsed', length };
  const family = buf[13] >> 4;
  const body = buf.subarray(16, length);
  if (family === 1) {
    if (body.length < 12) return { state: 'invalid', reason: 'PROXY v2 IPv4 addresses truncated' };
    return { state: 'parsed', length, source: [...body.subarray(0, 4)].join('.') };
  }
  if (family === 2) {
    if (body.length < 36) return { state: 'invalid', reason: 'PROXY v2 IPv6 addresses truncated' };
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(body.readUInt16BE(i).toString(16));
    return { state: 'parsed', length, source: normaliseAddress(expandedToCompact(groups.join(':'))) };
  }
  return { state: 'parsed', length };
}

/** `2001:db8:0:0:0:0:0:1` -> `2001:db8::1`, the form Node reports peers in. */
function expandedToCompact(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

export interface ProxyProtocolOptions {
  /** peers whose PROXY headers are believed; other connections are served untouched */
  trusted: Networks;
  /** how long a trusted peer may take to send its header */
  timeoutMs: number;
  onInvalid: (peer: string, reason: string) => void;
}

/**
 * Reads PROXY headers on the connections of an HTTP or HTTPS server before the server sees
 * them, and remembers the client address each one gave. A trusted peer's connection without a
 * header (a probe) is served with the peer's address; an untrusted peer's header is never read,
 * so the HTTP parser refuses it.
 */
export class ProxiedPeers {
  private readonly sources = new WeakMap<Socket, string>();

  constructor(private readonly options: ProxyProtocolOptions) {}

  /** The client address for a request's socket (for HTTPS, the TLS socket over the TCP one). */
  sourceOf = (socket: Socket): string | undefined => {
    // a TLSSocket keeps the TCP socket it wraps as _parent
    const raw = (socket as Socket & { _parent?: Socket })._parent ?? socket;
    return this.sources.get(raw);
  };

  install(server: Server): void {
    const serve = server.listeners('connection') as Array<(socket: Socket) => void>;
    server.removeAllListeners('connection');
    const tls = server instanceof TlsServer;
    server.on('connection', (socket: Socket) => {
      const peer = socket.remoteAddress ?? '';
      if (!inNetworks(this.options.trusted, peer)) return serve.forEach((l) => l.call(server, socket));
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => fail('no complete PROXY header in time'), this.options.timeoutMs);
      const fail = (reason: string) => {
        cleanup();
        this.options.onInvalid(peer, reason);
        socket.destroy();
      };
      const cleanup = () => {
        clearTimeout(timer);
        socket.removeListener('data', onData);
        socket.removeListener('error', cleanup);
        socket.removeListener('close', cleanup);
        socket.removeListener('end', ended);
      };
      const ended = () => {
        cleanup();
        socket.destroy();
      };
      const onData = (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        const r = parseProxyHeader(buf);
        if (r.state === 'incomplete') return;
        if (r.state === 'invalid') return fail(r.reason);
        cleanup();
        socket.pause();
        const rest = r.state === 'parsed' ? buf.subarray(r.length) : buf;
        if (r.state === 'parsed' && r.source) this.sources.set(socket, r.source);
        if (rest.length) socket.unshift(rest);
        serve.forEach((l) => l.call(server, socket));
        // TLS takes what was read back from the socket's buffer itself; the HTTP parser reads
        // the handle directly and needs the socket flowing to see the buffered bytes first.
        if (!tls) socket.resume();
      };
      socket.on('data', onData);
      // a balancer's TCP health check connects and closes without a byte: nothing to report
      socket.on('error', cleanup);
      socket.on('close', cleanup);
      // HTTP servers allow half-open sockets: a peer that ends before its header is gone
      socket.on('end', ended);
    });
  }
}
