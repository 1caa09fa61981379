import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config';
import { parseBlockedNetworks, sendConnectionRequest, type WakeOptions } from '../../../src/cwmp/connection-request';
import { ConnectionRequestListener } from '../../../src/sim';

/** The connection-request client against real listeners on loopback. */
const creds = { username: 'cr-user', password: 'cr-pass' };
const options: WakeOptions = { credential: creds, allowBasic: false, timeoutMs: 1000 };
let listener: ConnectionRequestListener;
let woken = 0;
let deviceUrl: string;
const servers: http.Server[] = [];

async function server(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/cr?x=1`;
}

beforeAll(async () => {
  listener = new ConnectionRequestListener({ maxPerSecond: 2 });
  await listener.start();
  deviceUrl = listener.register({ connectionRequestCredentials: () => creds, connectionRequest: () => void (woken += 1) });
});
afterAll(async () => {
  await listener.close();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

it('answers the device\'s Digest challenge and wakes it', async () => {
  expect(await sendConnectionRequest(deviceUrl, options)).toEqual({ outcome: 'woke', status: 200 });
  expect(woken).toBe(1);
});

it('reports refused credentials, and a device that asks for credentials the ACS lacks', async () => {
  expect(await sendConnectionRequest(deviceUrl, { ...options, credential: { ...creds, password: 'nope' } })).toMatchObject({ outcome: 'auth_refused' });
  expect(await sendConnectionRequest(deviceUrl, { ...options, credential: undefined })).toMatchObject({ outcome: 'auth_refused', message: expect.stringContaining('none is configured') });
  expect(woken).toBe(1);
});

it('reports a busy device (its rate limit) as unreachable, to be retried', async () => {
  await sendConnectionRequest(deviceUrl, options);
  expect(await sendConnectionRequest(deviceUrl, options)).toEqual({ outcome: 'unreachable', message: 'the device is busy (503)' });
});

it('uses Basic only when allowed, sends the query in the Digest uri, wakes a device that asks for nothing', async () => {
  const seen: string[] = [];
  const basicUrl = await server((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization === `Basic ${Buffer.from('cr-user:cr-pass').toString('base64')}`) return res.writeHead(204).end();
    res.writeHead(401, { 'www-authenticate': 'Basic realm="phone"' }).end();
  });
  expect(await sendConnectionRequest(basicUrl, options)).toMatchObject({ outcome: 'auth_refused', message: expect.stringContaining('ACS_CR_ALLOW_BASIC') });
  expect(seen).toEqual(['']);
  expect(await sendConnectionRequest(basicUrl, { ...options, allowBasic: true })).toEqual({ outcome: 'woke', status: 204 });
  const open = await server((_req, res) => res.writeHead(200).end());
  expect(await sendConnectionRequest(open, { ...options, credential: undefined })).toEqual({ outcome: 'woke', status: 200 });
  const uris: string[] = [];
  const digest = await server((req, res) => {
    const auth = req.headers.authorization;
    if (!auth) return res.writeHead(401, { 'www-authenticate': 'Digest realm="r", qop="auth", nonce="abc", algorithm=MD5' }).end();
    uris.push(/uri="([^"]*)"/.exec(auth)![1]);
    res.writeHead(200).end();
  });
  expect(await sendConnectionRequest(digest, options)).toMatchObject({ outcome: 'woke' });
  expect(uris).toEqual(['/cr?x=1']);
});

it('reports no answer, refused connections and bad URLs as unreachable', async () => {
  const silent = await server(() => undefined);
  expect(await sendConnectionRequest(silent, { ...options, timeoutMs: 300 })).toEqual({ outcome: 'unreachable', message: 'no answer within the timeout' });
  expect(await sendConnectionRequest('http://127.0.0.1:1/cr', options)).toEqual({ outcome: 'unreachable', message: 'connection failed (ECONNREFUSED)' });
  expect(await sendConnectionRequest('not a url', options)).toMatchObject({ outcome: 'unreachable', message: 'ConnectionRequestURL is not a URL' });
  expect(await sendConnectionRequest('ftp://127.0.0.1/cr', options)).toMatchObject({ outcome: 'unreachable', message: 'unsupported scheme ftp:' });
  const broken = await server((_req, res) => res.writeHead(500).end());
  expect(await sendConnectionRequest(broken, options)).toEqual({ outcome: 'unreachable', message: 'the device answered HTTP 500' });
});

it('does not queue devices that share an address and port behind each other', async () => {
  // 40 slow answers at once: queued behind a small connection pool they would run out of time.
  let inFlight = 0;
  let most = 0;
  const slow = await server((_req, res) => {
    most = Math.max(most, ++inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.writeHead(204).end();
    }, 500);
  });
  const results = await Promise.all(Array.from({ length: 40 }, () => sendConnectionRequest(slow, { ...options, timeoutMs: 3000 })));
  expect(results.filter((r) => r.outcome !== 'woke')).toEqual([]);
  expect(most).toBe(40);
});

describe('blocked networks', () => {
  it('refuses a URL whose address, or whose name\'s address, is blocked, without contacting it', async () => {
    let contacted = 0;
    const url = new URL(await server((_req, res) => void (contacted += 1, res.writeHead(204).end())));
    const blocked = parseBlockedNetworks('10.0.0.0/8, 127.0.0.0/8');
    const refused = { outcome: 'blocked', message: expect.stringContaining('ACS_CR_BLOCKED_NETWORKS') };
    expect(await sendConnectionRequest(url.href, { ...options, blocked })).toEqual(refused);
    expect(await sendConnectionRequest(`http://localhost:${url.port}/cr`, { ...options, blocked })).toEqual({ ...refused, message: expect.stringMatching(/^localhost resolves to 127\.0\.0\.1/) });
    expect(await sendConnectionRequest(`http://[::ffff:127.0.0.1]:${url.port}/cr`, { ...options, blocked })).toEqual(refused);
    expect(contacted).toBe(0);
    expect(await sendConnectionRequest(url.href, { ...options, blocked: parseBlockedNetworks('10.0.0.0/8') })).toEqual({ outcome: 'woke', status: 204 });
    expect(contacted).toBe(1);
  });

  it('blocks the metadata service by default', async () => {
    const defaults = loadConfig({}).connectionRequests.blockedNetworks;
    expect(await sendConnectionRequest('http://169.254.169.254/latest/meta-data/', { ...options, blocked: defaults })).toMatchObject({ outcome: 'blocked' });
    expect(await sendConnectionRequest('http://[fe80::1]:7547/', { ...options, blocked: defaults })).toMatchObject({ outcome: 'blocked' });
  });

  it('refuses a configuration it cannot read, naming the variable and the entry', () => {
    expect(() => loadConfig({ ACS_CR_BLOCKED_NETWORKS: '10.0.0.0/8,10.0.0.0/33' })).toThrow(/ACS_CR_BLOCKED_NETWORKS: "10\.0\.0\.0\/33" is not a network in CIDR notation/);
    expect(() => loadConfig({ ACS_CR_BLOCKED_NETWORKS: 'example.com/8' })).toThrow(/"example\.com\/8" is not a network/);
    expect(loadConfig({ ACS_CR_BLOCKED_NETWORKS: ' 10.0.0.0/8 ,, fd00::/8 ' }).connectionRequests.blockedNetworks.list.check('fd12::1', 'ipv6')).toBe(true);
  });
});
