import net from 'node:net';
import { connectionsCheckingInterval } from '../../../src/roles/http';
import { startTestAcs, type TestAcs } from '../../support/acs';

/**
 * Clients that trickle their request are cut at the configured timeouts. Node only enforces
 * them when it checks its connections (every 30 s unless told otherwise), so without the
 * checking interval these connections would stay open far longer than configured. No timing
 * is asserted beyond "closed before a generous bound".
 */
const HEADERS_MS = 400;
const REQUEST_MS = 800;
/** far below Node's default 30 s check, far above the configured limits */
const BOUND_MS = 15_000;

let acs: TestAcs;
beforeAll(async () => {
  acs = await startTestAcs({ ACS_CWMP_HEADERS_TIMEOUT_MS: String(HEADERS_MS), ACS_CWMP_REQUEST_TIMEOUT_MS: String(REQUEST_MS), ACS_CWMP_SESSION_TIMEOUT: '60' });
});
afterAll(async () => acs?.close());

/** Opens a raw connection that writes `parts` one by one, a little at a time, until closed. */
function trickle(parts: string[]): Promise<{ closed: boolean; received: string; sent: number }> {
  const url = new URL(acs.cwmpUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const bound = setTimeout(() => finish(false), BOUND_MS);
    const finish = (closed: boolean) => {
      clearTimeout(bound);
      clearInterval(timer);
      socket.destroy();
      resolve({ closed, received, sent });
    };
    socket.on('data', (d) => (received += d.toString()));
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      timer = setInterval(() => {
        // one byte every 100 ms, never finishing within the bound
        const next = parts[Math.min(sent, parts.length - 1)];
        if (!socket.destroyed) socket.write(next);
        sent += 1;
      }, 100);
    });
  });
}

it('checks connections often enough for the configured timeouts to act on time', () => {
  expect(connectionsCheckingInterval(HEADERS_MS)).toBeLessThan(HEADERS_MS);
  expect(connectionsCheckingInterval(10_000)).toBeLessThanOrEqual(1000);
});

it('closes a connection whose headers trickle in', async () => {
  const head = 'POST / HTTP/1.1\r\nHost: acs\r\nContent-Type: text/xml\r\nX-Slow: ';
  const r = await trickle([...head.split(''), 'a']);
  expect(r.closed).toBe(true);
  expect(r.received).toMatch(/^HTTP\/1\.1 408/);
});

it('closes a connection whose body trickles in', async () => {
  const head = 'POST / HTTP/1.1\r\nHost: acs\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n';
  const r = await trickle([head, '<']);
  expect(r.closed).toBe(true);
  // the body never completed: nothing was served, the connection was cut
  expect(r.received).not.toMatch(/^HTTP\/1\.1 200/);
});

it('an idle keep-alive connection between the requests of a session is not cut by the headers timeout', async () => {
  const url = new URL(acs.cwmpUrl);
  const socket = net.connect(Number(url.port), url.hostname);
  let received = '';
  let closed = false;
  socket.on('data', (d) => (received += d.toString()));
  socket.on('close', () => (closed = true));
  await new Promise((r) => socket.once('connect', r));
  const get = 'GET /healthz HTTP/1.1\r\nHost: acs\r\n\r\n';
  socket.write(get);
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  };
  await until(() => /\r\n\r\n/.test(received));
  // idle for longer than the headers timeout: poll past it rather than sleep a fixed time
  const idleSince = Date.now();
  await until(() => Date.now() - idleSince > HEADERS_MS * 3 || closed);
  expect(closed).toBe(false);
  socket.write(get);
  await until(() => (received.match(/HTTP\/1\.1 200/g) ?? []).length === 2);
  expect((received.match(/HTTP\/1\.1 200/g) ?? []).length).toBe(2);
  socket.destroy();
});
