import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from '../log';

/**
 * Syslog over UDP (RFC 5426: one message per datagram) and TCP (RFC 6587: octet counting
 * `LEN SP MSG`, or non-transparent framing ending each message with LF), on one port. Bounds:
 * a message longer than `maxMessageBytes` is dropped (over TCP the connection is closed, since
 * the framing can no longer be trusted); each source address may send `ratePerSecond`
 * messages a second (token bucket, burst of one second), the rest are dropped; at most
 * MAX_CONNECTIONS TCP connections and MAX_IN_FLIGHT messages being handled at once.
 */
export interface SyslogListenerOptions {
  host: string;
  port: number;
  maxMessageBytes: number;
  ratePerSecond: number;
  log: Logger;
  /** handles one message; the listener never waits for more than MAX_IN_FLIGHT of them */
  onMessage(text: string, from: string): Promise<void>;
  /** the clock the rate is measured with (tests freeze it) */
  now?: () => number;
}

const MAX_CONNECTIONS = 256;
const MAX_IN_FLIGHT = 256;
const IDLE_MS = 5 * 60_000;
const MAX_SOURCES = 10_000;

export interface SyslogListener {
  port: number;
  stats: { received: number; dropped: { size: number; rate: number; busy: number } };
  close(): Promise<void>;
}

export async function startSyslogListener(o: SyslogListenerOptions): Promise<SyslogListener> {
  const stats = { received: 0, dropped: { size: 0, rate: 0, busy: 0 } };
  const buckets = new Map<string, { tokens: number; at: number }>();
  let inFlight = 0;

  const clock = o.now ?? Date.now;
  const allowed = (from: string): boolean => {
    const now = clock();
    let b = buckets.get(from);
    if (!b) {
      if (buckets.size >= MAX_SOURCES) buckets.clear(); // forgetting is generous, never unbounded
      b = { tokens: o.ratePerSecond, at: now };
      buckets.set(from, b);
    }
    b.tokens = Math.min(o.ratePerSecond, b.tokens + ((now - b.at) / 1000) * o.ratePerSecond);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };

  const deliver = (data: Buffer, from: string): void => {
    if (data.length > o.maxMessageBytes) {
      stats.dropped.size++;
      return;
    }
    if (!allowed(from)) {
      stats.dropped.rate++;
      return;
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      stats.dropped.busy++;
      return;
    }
    stats.received++;
    inFlight++;
    o.onMessage(data.toString('utf8'), from)
      .catch((err: unknown) => o.log.warn({ err, from }, 'syslog message not recorded'))
      .finally(() => inFlight--);
  };

  const tcp = net.createServer({ noDelay: true });
  tcp.maxConnections = MAX_CONNECTIONS;
  const sockets = new Set<net.Socket>();
  tcp.on('connection', (socket) => {
    sockets.add(socket);
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const from = socket.remoteAddress ?? '';
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const counted = /^(\d{1,10}) /.exec(buffer.subarray(0, 12).toString('latin1'));
        if (counted) {
          const length = Number(counted[1]);
          if (length > o.maxMessageBytes) {
            stats.dropped.size++;
            socket.destroy();
            return;
          }
          const start = counted[0].length;
          if (buffer.length < start + length) break;
          deliver(buffer.subarray(start, start + length), from);
          buffer = buffer.subarray(start + length);
          continue;
        }
        const lf = buffer.indexOf(0x0a);
        if (lf < 0) {
          if (buffer.length > o.maxMessageBytes) {
            stats.dropped.size++;
            socket.destroy();
            return;
          }
          break;
        }
        if (lf > 0) deliver(buffer.subarray(0, lf), from);
        buffer = buffer.subarray(lf + 1);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(o.port, o.host, () => resolve());
  });
  const port = (tcp.address() as net.AddressInfo).port;

  const udp = dgram.createSocket({ type: net.isIPv6(o.host) ? 'udp6' : 'udp4' });
  udp.on('message', (msg, rinfo) => deliver(msg, rinfo.address));
  udp.on('error', (err) => o.log.warn({ err }, 'syslog UDP socket error'));
  try {
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, o.host, () => resolve());
    });
  } catch (err) {
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    throw err;
  }

  return {
    port,
    stats,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((resolve) => tcp.close(() => resolve())), new Promise<void>((resolve) => udp.close(() => resolve()))]);
    },
  };
}
