import dgram from 'node:dgram';
import net from 'node:net';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, eventually, type ApiClient } from '../../support/api';
import { registerDevice, type TestDevice } from '../../support/devices';

/**
 * S24 (cisco-seeds-digest §12): with Syslog_Server pointed at the collector and the default
 * templates (000 L210-262; 001 L2993-3002), the phones' messages become per-device events,
 * over real UDP and TCP sockets on loopback. The size and rate bounds: listener.test.ts.
 */
let acs: TestAcs;
let api: ApiClient;
let port: number;
let phone: TestDevice;

beforeAll(async () => {
  acs = await startTestAcs({ ACS_SYSLOG_EVENTS_PER_DEVICE: '4' }, { roles: ['api', 'syslog'] });
  api = apiClient(acs, await acs.token('viewer'));
  port = Number(new URL(acs.syslogUrl).port);
  phone = await registerDevice(acs.stores.db, { serialNumber: 'SYS0001', productClass: 'CP-6841-3PCC', mac: '000e08abcdef' });
});
afterAll(async () => {
  await acs?.close();
});

const events = () => api.get(`/devices/${enc(phone.id)}/syslog`);

async function udp(messages: string[], from: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, from, () => resolve()));
  for (const m of messages) await new Promise<void>((resolve, reject) => socket.send(m, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

async function tcp(data: string): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  await new Promise<void>((resolve) => socket.end(data, () => resolve()));
}

it("records a resync's two messages over UDP (RFC 3164) as the device's events", async () => {
  await udp(
    [
      '<134>Dec  1 20:00:00 192.168.1.50 CP-6841-3PCC 00:0e:08:ab:cd:ef \u2013- Requesting resync tftp://192.168.1.200/basic.txt',
      '<134>Dec  1 20:00:01 192.168.1.50 CP-6841-3PCC 00:0e:08:ab:cd:ef \u2013- Successful resync tftp://192.168.1.200/basic.txt',
      // Not a provisioning message, and a MAC no device has: both dropped.
      '<134>Dec  1 20:00:02 192.168.1.50 CP-6841-3PCC 00:0e:08:ab:cd:ef -- Line 1 registered',
      '<134>Dec  1 20:00:03 192.168.1.51 CP-6841-3PCC 00:0e:08:00:00:01 -- Resync failed: http_get failed',
    ],
    '127.0.0.1',
  );
  const res = await eventually(events, (r) => r.body.items.length >= 2);
  expect(res.body.items.map((e: { kind: string; url?: string; mac: string; model: string }) => [e.kind, e.url, e.mac, e.model])).toEqual([
    ['resync-success', 'tftp://192.168.1.200/basic.txt', '000e08abcdef', 'CP-6841-3PCC'],
    ['resync-request', 'tftp://192.168.1.200/basic.txt', '000e08abcdef', 'CP-6841-3PCC'],
  ]);
  expect(res.body.items[0].from).toBe('127.0.0.1');
});

it('records failures over TCP (RFC 5424, octet counting and LF framing), keeping only the newest per device', async () => {
  const request = '<14>1 2026-12-01T20:01:00Z 000e08abcdef - - - - CP-6841-3PCC 00:0e:08:ab:cd:ef -- Requesting upgrade http://10.0.0.5:80/sip68xx.11-2-3MSR1-1.loads';
  const upgrade = '<11>1 2026-12-01T20:01:00Z 000e08abcdef - - - - CP-6841-3PCC 00:0e:08:ab:cd:ef -- Upgrade failed: http_get failed';
  const resync = '<11>1 2026-12-01T20:01:01Z 000e08abcdef - - - - CP-6841-3PCC 00:0e:08:ab:cd:ef -- Resync failed: 404 Not Found\n';
  await tcp(`${Buffer.byteLength(request)} ${request}${Buffer.byteLength(upgrade)} ${upgrade}${resync}`);
  const res = await eventually(events, (r) => r.body.items[0]?.kind === 'resync-failure');
  expect(res.body.items.slice(0, 2).map((e: { kind: string; error?: string }) => [e.kind, e.error])).toEqual([
    ['resync-failure', '404 Not Found'],
    ['upgrade-failure', 'http_get failed'],
  ]);
  // ACS_SYSLOG_EVENTS_PER_DEVICE=4: the oldest of the five is gone.
  expect(res.body.items.map((e: { kind: string }) => e.kind)).toEqual(['resync-failure', 'upgrade-failure', 'upgrade-request', 'resync-success']);
});
