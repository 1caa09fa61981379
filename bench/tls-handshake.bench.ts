/**
 * Cost of a TLS handshake on the cwmp/fs roles' settings, with certificates from `acs certs`
 * (RSA 2048): server authentication only, and mutual TLS (a device certificate verified
 * against the client CA). Run: node -r @swc-node/register bench/tls-handshake.bench.ts
 * Client and server share this process, so the CPU time is both ends of each handshake.
 * Bounded: at most 400 handshakes or 20 s per variant, on loopback.
 */
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { createCa, issueDevice, issueServer } from '../src/certs';
import { runBench, tableHeader } from './harness';

const MAX_HANDSHAKES = 400;
const MAX_MS = 20_000;

const ca = createCa({ commonName: 'Bench CA', days: 2 });
const server = issueServer(ca, { role: 'cwmp', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], days: 2 });
const device = issueDevice(ca, { serialNumber: 'FCHBENCH01', days: 2 });

function handshake(port: number, options: tls.ConnectionOptions): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      socket.end();
      resolve(ms);
    });
    socket.on('data', () => undefined);
    socket.once('error', reject);
  });
}

async function run(port: number, name: string, client: tls.ConnectionOptions): Promise<string> {
  const wall: number[] = [];
  const cpu = process.cpuUsage();
  const deadline = Date.now() + MAX_MS;
  while (wall.length < MAX_HANDSHAKES && Date.now() < deadline) wall.push(await handshake(port, client));
  const used = process.cpuUsage(cpu);
  wall.sort((a, b) => a - b);
  const perHandshake = (used.user + used.system) / wall.length / 1000;
  return `| ${name} | ${wall.length} | ${perHandshake.toFixed(1)} ms | ${wall[Math.floor(wall.length / 2)].toFixed(1)} ms | ${wall[Math.floor(wall.length * 0.95)].toFixed(1)} ms |`;
}

runBench(async () => {
  // the roles' TLS settings (roles/http.ts): client certificates requested, judged per connection
  const listener = tls.createServer({ cert: server.cert, key: server.key, ca: ca.cert, requestCert: true, rejectUnauthorized: false }, (s) => s.on('data', () => undefined).on('error', () => undefined));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as AddressInfo).port;
  console.log(tableHeader());
  console.log('| handshake | count | CPU per handshake (both ends) | median wall | p95 wall |');
  console.log('|---|---|---|---|---|');
  console.log(await run(port, 'server certificate only, TLS 1.3', { ca: ca.cert }));
  console.log(await run(port, 'mutual TLS with a device certificate, TLS 1.3', { ca: ca.cert, cert: device.cert, key: device.key }));
  console.log(await run(port, 'server certificate only, TLS 1.2 (ECDHE-RSA)', { ca: ca.cert, maxVersion: 'TLSv1.2' }));
  listener.close();
});
