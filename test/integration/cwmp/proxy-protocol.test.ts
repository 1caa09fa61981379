import net from 'node:net';
import { Agent, request } from 'undici';
import { AuthStore } from '../../../src/cwmp/session/store';
import { encodeEnvelope } from '../../../src/cwmp/soap';
import { deviceKey } from '../../../src/devices/id';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { inform } from '../../support/cwmp-client';
import { CPE_PASSWORD, CPE_USERNAME } from '../../support/acs';

/**
 * A TCP load balancer in front of the CWMP endpoint passes each client's address in a PROXY
 * protocol header. The test process plays the balancer (127.0.0.1, trusted).
 */
const NS = 'urn:dslforum-org:cwmp-1-2' as const;
const idOf = (serial: string) => deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: serial });
const basic = `Basic ${Buffer.from(`${CPE_USERNAME}:${CPE_PASSWORD}`).toString('base64')}`;

function v2Header(source: number[]): Buffer {
  const head = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x21, 0x11, 0, 12]);
  return Buffer.concat([head, Buffer.from([...source, 127, 0, 0, 1, 0x30, 0x39, 0x1d, 0x7b])]);
}

/** A client pool whose every connection starts with `header`, as a balancer's would. */
function through(header: Buffer | string | undefined): Agent {
  return new Agent({
    connections: 1,
    connect: (opts, callback) => {
      const socket = net.connect(Number(opts.port), opts.hostname);
      socket.once('connect', () => {
        if (header !== undefined) socket.write(header);
        callback(null, socket);
      });
      socket.once('error', (err) => callback(err, null));
    },
  });
}

async function informThrough(acs: TestAcs, header: Buffer | string | undefined, serial: string, authorization = basic) {
  const dispatcher = through(header);
  try {
    const body = encodeEnvelope({ namespace: NS, header: { id: '1' }, body: inform(serial) });
    const res = await request(acs.cwmpUrl, { method: 'POST', body, headers: { 'content-type': 'text/xml', authorization }, dispatcher });
    await res.body.text();
    return res.statusCode;
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

const remoteAddressOf = async (acs: TestAcs, serial: string) => (await acs.stores.db.collection('devices').findOne({ _id: idOf(serial) as never }))?.remoteAddress;

describe('from a trusted balancer', () => {
  let acs: TestAcs;
  const logs: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    acs = await startTestAcs({ ACS_CWMP_AUTH: 'basic', ACS_CWMP_PROXY_PROTOCOL: 'true', ACS_TRUSTED_PROXIES: '127.0.0.0/8', ACS_CWMP_HEADERS_TIMEOUT_MS: '300' }, { logs });
  });
  afterAll(async () => acs?.close());

  it('a v1 header gives the client address', async () => {
    expect(await informThrough(acs, 'PROXY TCP4 198.51.100.77 127.0.0.1 40000 7547\r\n', 'PPV1')).toBe(200);
    expect(await remoteAddressOf(acs, 'PPV1')).toBe('198.51.100.77');
  });

  it('a v2 header gives the client address, and keys the failed-login limit', async () => {
    expect(await informThrough(acs, v2Header([203, 0, 113, 45]), 'PPV2')).toBe(200);
    expect(await remoteAddressOf(acs, 'PPV2')).toBe('203.0.113.45');
    const wrong = `Basic ${Buffer.from(`${CPE_USERNAME}:guess`).toString('base64')}`;
    expect(await informThrough(acs, v2Header([203, 0, 113, 46]), 'PPV2B', wrong)).toBe(401);
    const auth = new AuthStore(acs.stores.redis, acs.stores.redisPrefix);
    expect(await auth.failures('203.0.113.46')).toBe(1);
    expect(await auth.failures('127.0.0.1')).toBe(0);
  });

  it('a connection without a header (a probe, a direct client) is served with the peer address', async () => {
    expect(await informThrough(acs, undefined, 'PPNONE')).toBe(200);
    expect(await remoteAddressOf(acs, 'PPNONE')).toBe('127.0.0.1');
    const probe = await request(`${acs.cwmpUrl}/healthz`);
    await probe.body.text();
    expect(probe.statusCode).toBe(200);
  });

  it('a health check that connects and closes is not reported; a header that never completes is', async () => {
    const url = new URL(acs.cwmpUrl);
    const reported = () => logs.filter((l) => l.event === 'cwmp.bad_proxy_header');
    const before = reported().length;
    const check = net.connect(Number(url.port), url.hostname);
    await new Promise((resolve) => check.once('connect', resolve));
    check.destroy();
    const stuck = net.connect(Number(url.port), url.hostname);
    stuck.on('error', () => undefined);
    let closed = false;
    stuck.on('close', () => (closed = true));
    stuck.write('PROXY TCP4 198.51.100.80');
    // the stuck one is cut at the headers timeout; by then the health check would have been too
    for (let i = 0; i < 200 && !(closed && reported().length > before); i++) await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
    expect(reported().slice(before)).toEqual([expect.objectContaining({ reason: 'no complete PROXY header in time' })]);
    stuck.destroy();
  });

  it('a malformed header closes the connection, logged once', async () => {
    await expect(informThrough(acs, 'PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n', 'PPBAD')).rejects.toThrow();
    expect(await remoteAddressOf(acs, 'PPBAD')).toBeUndefined();
    expect(logs.filter((l) => l.event === 'cwmp.bad_proxy_header' && l.reason === 'malformed PROXY v1 addresses')).toHaveLength(1);
  });
});

it('a header from an untrusted peer is not believed', async () => {
  const acs = await startTestAcs({ ACS_CWMP_AUTH: 'basic', ACS_CWMP_PROXY_PROTOCOL: 'true', ACS_TRUSTED_PROXIES: '10.0.0.0/8' });
  try {
    const status = await informThrough(acs, 'PROXY TCP4 198.51.100.78 127.0.0.1 40000 7547\r\n', 'PPSPOOF').catch(() => 'closed');
    expect(status === 'closed' || status === 400).toBe(true);
    expect(await remoteAddressOf(acs, 'PPSPOOF')).toBeUndefined();
    expect(await informThrough(acs, undefined, 'PPDIRECT')).toBe(200);
    expect(await remoteAddressOf(acs, 'PPDIRECT')).toBe('127.0.0.1');
  } finally {
    await acs.close();
  }
});
