import dgram from 'node:dgram';
import net from 'node:net';
import { createLogger } from '../../../src/log';
import { startSyslogListener, type SyslogListener } from '../../../src/syslog/listener';

/**
 * The collector's bounds, at the bound, over real loopback sockets: the message size (UDP and
 * TCP) and the per-source rate, measured with a frozen clock so that no timing matters.
 */
const MAX = 600;
const RATE = 5;
let listener: SyslogListener;
const received: Array<{ text: string; from: string }> = [];

beforeAll(async () => {
  listener = await startSyslogListener({
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: MAX,
    ratePerSecond: RATE,
    log: createLogger('silent'),
    now: () => 1_000_000,
    onMessage: async (text, from) => void received.push({ text, from }),
  });
});
afterAll(async () => {
  await listener?.close();
});

async function udp(messages: string[], from: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, from, () => resolve()));
  for (const m of messages) await new Promise<void>((resolve, reject) => socket.send(m, listener.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(done()).toBe(true);
}

it('takes a UDP message of exactly the size bound, drops one byte more', async () => {
  await udp(['x'.repeat(MAX + 1), 'y'.repeat(MAX)], '127.0.0.2');
  await until(() => received.some((r) => r.text.startsWith('y')));
  expect(received.some((r) => r.text.startsWith('x'))).toBe(false);
  expect(listener.stats.dropped.size).toBe(1);
});

it('takes RATE messages from one source at one instant and drops the rest; another source is not harmed', async () => {
  const before = received.length;
  await udp(Array.from({ length: RATE + 3 }, (_, i) => `a${i}`), '127.0.0.3');
  await udp(['marker'], '127.0.0.4');
  await until(() => received.some((r) => r.text === 'marker'));
  const fromA = received.slice(before).filter((r) => r.from === '127.0.0.3').map((r) => r.text);
  expect(fromA).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
  expect(listener.stats.dropped.rate).toBe(3);
});

it('over TCP, takes a framed message of exactly the bound and closes the connection on a longer one', async () => {
  const socket = net.connect(listener.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  const exact = 'z'.repeat(MAX);
  socket.write(`${MAX} ${exact}${MAX + 1} ${'w'.repeat(MAX + 1)}`);
  await closed;
  await until(() => received.some((r) => r.text === exact));
  expect(received.some((r) => r.text.startsWith('w'))).toBe(false);
  expect(listener.stats.dropped.size).toBe(2);
});
