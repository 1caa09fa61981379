import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import { encodeEnvelope } from '../../../src/cwmp/soap';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { inform, ManualCpe } from '../../support/cwmp-client';

/**
 * The CWMP role over HTTPS, with certificates made by the real openssl: a CA, the server's
 * certificate for 127.0.0.1, and client certificates naming one device's serial number.
 */
let dir: string;
let acs: TestAcs;
const pem = (name: string) => readFileSync(path.join(dir, name), 'utf8');

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function issue(name: string, subject: string, ca: string, ext?: string): void {
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2'];
  if (ext) {
    writeFileSync(path.join(dir, `${name}.ext`), ext);
    args.push('-extfile', `${name}.ext`);
  }
  openssl(...args);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'acs-tls-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Test Device CA');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '2', '-subj', '/CN=Rogue CA');
  issue('server', '/CN=127.0.0.1', 'ca', 'subjectAltName=IP:127.0.0.1\n');
  issue('phone', '/CN=FCHTLS0001', 'ca');
  issue('forged', '/CN=FCHTLS0001', 'rogue');
  // names that contain the serial number FCH12 without being it
  issue('longer', '/CN=FCH1234', 'ca', 'subjectAltName=DNS:FCH1234,DNS:CP-8851-3PCC-FCH12\n');
  // an exact name, in a subjectAltName only and in another case
  issue('exact', '/CN=Cisco Phone', 'ca', 'subjectAltName=DNS:fch12\n');
  acs = await startTestAcs({
    ACS_CWMP_TLS_CERT: path.join(dir, 'server.crt'),
    ACS_CWMP_TLS_KEY: path.join(dir, 'server.key'),
    ACS_CWMP_TLS_CLIENT_CA: path.join(dir, 'ca.crt'),
  });
});

afterAll(async () => {
  await acs?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves sessions over HTTPS with Digest, and marks the session cookie Secure', async () => {
  expect(acs.cwmpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const cpe = new ManualCpe(acs.cwmpUrl, { username: CPE_USERNAME, password: CPE_PASSWORD }, undefined, { ca: pem('ca.crt') });
  const { reply } = await cpe.exchange(inform('FCHTLS0002'));
  expect(reply.status).toBe(200);
  expect(reply.headers['set-cookie']).toMatch(/; Secure$/);
  expect((await cpe.post('')).status).toBe(204);
});

it('a client certificate naming the device authenticates it without HTTP credentials', async () => {
  const cpe = new ManualCpe(acs.cwmpUrl, undefined, undefined, { ca: pem('ca.crt'), cert: pem('phone.crt'), key: pem('phone.key') });
  expect((await cpe.exchange(inform('FCHTLS0001'))).reply.status).toBe(200);
  expect((await cpe.post('')).status).toBe(204);
  expect(await acs.stores.db.collection('devices').countDocuments({ 'deviceId.serialNumber': 'FCHTLS0001' })).toBe(1);
});

it('a certificate for another device, or from an unknown CA, does not stand in for credentials', async () => {
  const other = new ManualCpe(acs.cwmpUrl, undefined, undefined, { ca: pem('ca.crt'), cert: pem('phone.crt'), key: pem('phone.key') });
  expect((await other.send(inform('FCHTLS0003'))).status).toBe(401);
  const forged = new ManualCpe(acs.cwmpUrl, undefined, undefined, { ca: pem('ca.crt'), cert: pem('forged.crt'), key: pem('forged.key') });
  expect((await forged.send(inform('FCHTLS0001'))).status).toBe(401);
});

it('a certificate identifies one device exactly: FCH1234 does not vouch for FCH12, fch12 does', async () => {
  const tls = (name: string) => ({ ca: pem('ca.crt'), cert: pem(`${name}.crt`), key: pem(`${name}.key`) });
  const longer = new ManualCpe(acs.cwmpUrl, undefined, undefined, tls('longer'));
  expect((await longer.send(inform('FCH12'))).status).toBe(401);
  expect(await acs.stores.db.collection('devices').countDocuments({ 'deviceId.serialNumber': 'FCH12' })).toBe(0);
  const exact = new ManualCpe(acs.cwmpUrl, undefined, undefined, tls('exact'));
  expect((await exact.exchange(inform('FCH12'))).reply.status).toBe(200);
  expect((await exact.post('')).status).toBe(204);
  expect(await acs.stores.db.collection('devices').countDocuments({ 'deviceId.serialNumber': 'FCH12' })).toBe(1);
});

it('a session opened with one certificate refuses a request presenting another (403), and carries on', async () => {
  const tlsOf = (name: string) => ({ ca: pem('ca.crt'), cert: pem(`${name}.crt`), key: pem(`${name}.key`) });
  const phone = new ManualCpe(acs.cwmpUrl, undefined, undefined, tlsOf('phone'));
  expect((await phone.exchange(inform('FCHTLS0001'))).reply.status).toBe(200);
  // same address, the session's cookie, another device's certificate
  const other = new ManualCpe(acs.cwmpUrl, undefined, undefined, tlsOf('exact'));
  other.cookie = phone.cookie;
  expect((await other.post('')).status).toBe(403);
  expect((await phone.post('')).status).toBe(204);
});

it('behind a TCP balancer, the PROXY header before the TLS handshake gives the client address and the certificate still counts', async () => {
  const proxied = await startTestAcs(
    {
      ACS_CWMP_TLS_CERT: path.join(dir, 'server.crt'),
      ACS_CWMP_TLS_KEY: path.join(dir, 'server.key'),
      ACS_CWMP_TLS_CLIENT_CA: path.join(dir, 'ca.crt'),
      ACS_CWMP_PROXY_PROTOCOL: 'true',
      ACS_TRUSTED_PROXIES: '127.0.0.1/32',
    },
    { stores: acs.stores },
  );
  const dispatcher = new Agent({
    connect: (opts, callback) => {
      const raw = net.connect(Number(opts.port), opts.hostname, () => {
        raw.write('PROXY TCP4 198.51.100.90 127.0.0.1 40000 7547\r\n');
        const secure = tls.connect({ socket: raw, ca: pem('ca.crt'), cert: pem('phone.crt'), key: pem('phone.key'), host: '127.0.0.1' }, () => callback(null, secure));
        secure.once('error', (err) => callback(err, null));
      });
      raw.once('error', (err) => callback(err, null));
    },
  });
  try {
    const body = encodeEnvelope({ namespace: 'urn:dslforum-org:cwmp-1-2', header: { id: '1' }, body: inform('FCHTLS0001') });
    const res = await request(proxied.cwmpUrl, { method: 'POST', body, headers: { 'content-type': 'text/xml' }, dispatcher });
    await res.body.text();
    expect(res.statusCode).toBe(200);
    const device = await acs.stores.db.collection('devices').findOne({ 'deviceId.serialNumber': 'FCHTLS0001' });
    expect(device?.remoteAddress).toBe('198.51.100.90');
  } finally {
    await dispatcher.close();
    await proxied.close();
  }
});

it('refuses plain HTTP on the HTTPS port', async () => {
  await expect(request(acs.cwmpUrl.replace('https:', 'http:'), { method: 'POST', body: '' }).then((r) => r.body.text())).rejects.toThrow();
});
