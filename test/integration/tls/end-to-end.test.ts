import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { ciscoConfigHooks, deriveIdentity, Fleet } from '../../../src/sim';
import { DEFAULT_OUI } from '../../../src/sim/datamodel/products';
import { freePort } from '../../../tools/local-stores/process';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, eventually, type ApiClient } from '../../support/api';
import { runCli } from '../../support/cli';

/**
 * TLS end to end on loopback, every certificate made by `acs certs`: the ACS serves CWMP and
 * files over HTTPS with them; simulated phones trusting only that CA complete sessions and a
 * signed download; device certificates authenticate their own device and no other; expired,
 * revoked and unknown-CA certificates are refused and logged; an EC device certificate (made
 * by openssl, signed by the same CA) is read by Node, not node-forge, and counts like the rest.
 */
let dir: string;
let acs: TestAcs;
let api: ApiClient;
let token: string;
const logs: Array<Record<string, unknown>> = [];
const at = (name: string) => path.join(dir, name);
const pem = (name: string) => readFileSync(at(name), 'utf8');
const fleets: Fleet[] = [];
const SEED = 'tls-e2e';

async function certs(...args: string[]): Promise<void> {
  const run = await runCli('certs', ...args);
  if (run.code !== 0) throw new Error(`acs certs ${args.join(' ')}: ${run.stderr}`);
}

const signed = () => ['--ca-cert', at('ca.crt'), '--ca-key', at('ca.key')];
const serialOf = (prefix: string) => deriveIdentity(0, SEED, prefix, DEFAULT_OUI).serialNumber;

/** A started fleet of one phone whose serial starts with `prefix`, over TLS with `tls`. */
async function phone(prefix: string, tls: { ca?: string; cert?: string; key?: string }, credentials = false) {
  const fleet = new Fleet({
    acsUrl: `${acs.cwmpUrl}/cwmp`,
    seed: SEED,
    serialPrefix: prefix,
    retry: false,
    connectionRequests: false,
    tls,
    hooks: ciscoConfigHooks(),
    ...(credentials ? { auth: 'digest' as const, username: CPE_USERNAME, password: CPE_PASSWORD } : {}),
  });
  fleets.push(fleet);
  await fleet.start();
  return fleet.device(0);
}

const withCert = (name: string) => ({ ca: pem('ca.crt'), cert: pem(`${name}.crt`), key: pem(`${name}.key`) });
async function upload(query: string, body: Buffer | string): Promise<{ status: number; body: any }> {
  const res = await request(`${acs.apiUrl}/api/v1/files?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body });
  return { status: res.statusCode, body: await res.body.json() };
}

const refusals = () => logs.filter((l) => l.event === 'tls.client_certificate_refused');

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'acs-tls-e2e-'));
  await certs('ca', '--cert', at('ca.crt'), '--key', at('ca.key'), '--name', 'E2E phones CA');
  await certs('server', '--role', 'cwmp', '--dns', 'localhost', '--ip', '127.0.0.1', ...signed(), '--cert', at('cwmp.crt'), '--key', at('cwmp.key'));
  await certs('server', '--role', 'fs', '--dns', 'localhost', '--ip', '127.0.0.1', ...signed(), '--cert', at('fs.crt'), '--key', at('fs.key'));
  await certs('device', '--serial', serialOf('MTLS'), '--model', 'CP-8851-3PCC', ...signed(), '--cert', at('phone.crt'), '--key', at('phone.key'));
  await certs('device', '--serial', serialOf('OLD'), '--not-before', '2020-01-01T00:00:00Z', '--days', '30', ...signed(), '--cert', at('expired.crt'), '--key', at('expired.key'));
  await certs('device', '--serial', serialOf('GONE'), ...signed(), '--cert', at('revoked.crt'), '--key', at('revoked.key'));
  await certs('device', '--serial', serialOf('CRL'), ...signed(), '--cert', at('listed.crt'), '--key', at('listed.key'));
  // a certificate of another CA naming the same phone
  await certs('ca', '--cert', at('rogue-ca.crt'), '--key', at('rogue-ca.key'), '--name', 'Rogue CA');
  await certs('device', '--serial', serialOf('MTLS'), '--ca-cert', at('rogue-ca.crt'), '--ca-key', at('rogue-ca.key'), '--cert', at('rogue.crt'), '--key', at('rogue.key'));
  // EC: node-forge can neither make nor parse it; openssl makes it, signed by the acs certs CA
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ec.key', '-out', 'ec.csr', '-subj', `/CN=${serialOf('ECDSA')}`);
  openssl('x509', '-req', '-in', 'ec.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'ec.crt', '-days', '2');

  const fsPort = await freePort();
  acs = await startTestAcs(
    {
      ACS_CWMP_TLS_CERT: at('cwmp.crt'),
      ACS_CWMP_TLS_KEY: at('cwmp.key'),
      ACS_CWMP_TLS_CLIENT_CA: at('ca.crt'),
      ACS_FS_TLS_CERT: at('fs.crt'),
      ACS_FS_TLS_KEY: at('fs.key'),
      ACS_FS_PORT: String(fsPort),
      ACS_PUBLIC_FS_URL: `https://127.0.0.1:${fsPort}`,
      ACS_TLS_REVOKED_SERIALS: new X509Certificate(pem('revoked.crt')).serialNumber.match(/../g)!.join(':').toLowerCase(),
    },
    { roles: ['cwmp', 'api', 'fs'], logs },
  );
  token = await acs.token('operator');
  api = apiClient(acs, token);
}, 120_000);

afterAll(async () => {
  await Promise.all(fleets.map((f) => f.stop(1000)));
  await acs?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves CWMP over HTTPS with the acs certs server certificate: a phone trusting only that CA completes sessions', async () => {
  expect(acs.cwmpUrl).toMatch(/^https:/);
  const device = await phone('DIGEST', { ca: pem('ca.crt') }, true);
  const first = await device.runSession();
  expect(first).toMatchObject({ ok: true });
  expect((await device.runSession()).ok).toBe(true);
  expect(await acs.stores.db.collection('devices').countDocuments({ 'deviceId.serialNumber': serialOf('DIGEST') })).toBe(1);
});

it('acs sim runs sessions against the HTTPS ACS with --ca, and with a device certificate instead of a password', async () => {
  const sim = (...args: string[]) => runCli('sim', '--acs-url', `${acs.cwmpUrl}/cwmp`, '--ca', at('ca.crt'), '--sessions', '1', '--seed', SEED, '--json', ...args);
  const withPassword = await sim('--serial-prefix', 'SIMPW', '--auth', 'digest', '--username', CPE_USERNAME, '--password', CPE_PASSWORD);
  expect([withPassword.code, JSON.parse(withPassword.stdout).sessions.ok]).toEqual([0, 1]);
  const withCertificate = await sim('--serial-prefix', 'MTLS', '--client-cert', at('phone.crt'), '--client-key', at('phone.key'));
  expect([withCertificate.code, JSON.parse(withCertificate.stdout).sessions.ok]).toEqual([0, 1]);
});

it('a phone trusting another CA does not talk to the ACS at all', async () => {
  const device = await phone('DOUBT', { ca: pem('rogue-ca.crt') }, true);
  const outcome = await device.runSession();
  expect(outcome.ok).toBe(false);
  expect(outcome.detail).toMatch(/certificate/i);
});

it('a device certificate from acs certs authenticates its device without a password, and no other', async () => {
  const own = await phone('MTLS', withCert('phone'));
  expect((await own.runSession()).ok).toBe(true);
  expect(await acs.stores.db.collection('devices').countDocuments({ 'deviceId.serialNumber': serialOf('MTLS') })).toBe(1);
  // the same certificate on another phone is no proof: that phone has no password, so 401
  const other = await phone('OTHER', withCert('phone'));
  expect(await other.runSession()).toMatchObject({ ok: false, reason: 'auth', httpStatus: 401 });
  expect(await acs.stores.db.collection('devices').countDocuments({ 'deviceId.serialNumber': serialOf('OTHER') })).toBe(0);
});

it.each([
  ['expired', 'OLD', 'expired on 2020-01-31T00:00:00.000Z'],
  ['revoked by ACS_TLS_REVOKED_SERIALS', 'GONE', 'revoked (its serial number is in ACS_TLS_REVOKED_SERIALS)'],
  ['from another CA', 'MTLS', 'not issued by a CA of ACS_CWMP_TLS_CLIENT_CA'],
])('a certificate %s is refused, with a log line saying why', async (_what, prefix, reason) => {
  const name = { OLD: 'expired', GONE: 'revoked', MTLS: 'rogue' }[prefix]!;
  const before = refusals().length;
  const device = await phone(prefix, withCert(name));
  expect(await device.runSession()).toMatchObject({ ok: false, reason: 'auth', httpStatus: 401 });
  const logged = refusals().slice(before);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({ role: 'cwmp', subject: expect.stringContaining(`CN=${serialOf(prefix)}`), serial: new X509Certificate(pem(`${name}.crt`)).serialNumber });
  expect(String(logged[0].reason)).toContain(reason);
  expect(String(logged[0].msg)).toContain('refused');
});

it('an EC device certificate is read by Node and authenticates its device', async () => {
  expect(new X509Certificate(pem('ec.crt')).publicKey.asymmetricKeyType).toBe('ec');
  const device = await phone('ECDSA', withCert('ec'));
  expect((await device.runSession()).ok).toBe(true);
});

it('the fs role serves a signed firmware download over HTTPS to a phone trusting only the CA', async () => {
  const device = await phone('FILES', { ca: pem('ca.crt') }, true);
  expect((await device.runSession()).ok).toBe(true);
  const image = Buffer.alloc(20_000, 7);
  const uploaded = await upload('filename=sip88xx.12-0-6MPP-1.loads&kind=firmware', image);
  expect(uploaded.status).toBe(201);
  const queued = await api.post(`/devices/${enc(device.deviceId)}/cisco/downloads`, { kind: 'firmware', fileId: uploaded.body.id });
  expect(queued.status).toBe(201);
  expect(queued.body.rpc.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
  const reported = device.nextSession((o) => o.transferCompletes > 0, 20_000);
  expect((await device.runSession()).ok).toBe(true);
  expect((await reported).transferCompletes).toBe(1);
  expect((await api.get(`/tasks/${queued.body.id}`)).body.status).toBe('done');
  const logged = async () => (await api.get(`/devices/${enc(device.deviceId)}/transfers`)).body.items as unknown[];
  expect(await eventually(logged, (items) => items.length > 0, 10_000)).toContainEqual(expect.objectContaining({ direction: 'download', resource: 'file', status: 200, bytes: image.length }));
});

it('a CA upload of a leaf certificate is refused with a message naming the problem; the exported CA is taken', async () => {
  const leaf = await upload('filename=cwmp.pem&kind=ca', pem('cwmp.crt'));
  expect(leaf.status).toBe(422);
  expect(leaf.body.detail).toContain('certificate 1 (CN=localhost, OU=acs cwmp) is not a CA certificate (no basicConstraints CA:TRUE)');
  await runCli('certs', 'export-ca', at('ca.crt'), '--out', at('phones-ca.pem'));
  expect((await upload('filename=phones-ca.pem&kind=ca', readFileSync(at('phones-ca.pem')))).status).toBe(201);
});

it('answers probes over HTTPS without a client certificate, as the kubelet sends them', async () => {
  // the kubelet checks no server certificate and presents none
  const kubelet = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    for (const url of [acs.cwmpUrl, acs.fsUrl]) {
      for (const probe of ['/healthz', '/readyz']) {
        const res = await request(`${url}${probe}`, { dispatcher: kubelet });
        await res.body.text();
        expect([url, probe, res.statusCode]).toEqual([url, probe, 200]);
      }
    }
  } finally {
    await kubelet.close();
  }
});

it('exports the days left on each served certificate', async () => {
  const text = await (await request(`${acs.metricsUrl}/metrics`)).body.text();
  const days = (role: string, use: string) => new RegExp(`^acs_tls_certificate_days_left\\{role="${role}",use="${use}",subject="([^"]+)",serial="([0-9A-F]+)"\\} (-?\\d+)$`, 'm').exec(text);
  const cwmp = days('cwmp', 'server');
  expect(cwmp?.slice(1)).toEqual(['localhost', new X509Certificate(pem('cwmp.crt')).serialNumber, '396']);
  expect(days('cwmp', 'client-ca')?.[1]).toBe('E2E phones CA');
  expect(days('fs', 'server')?.[3]).toBe('396');
});

// Last: a second ACS in this process shares the metrics registry, and its close removes the
// gauges of the certificates both serve.
it('with ACS_TLS_CRL_FILE, a certificate the CA revoked is refused and the others still count', async () => {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(at('ca.cnf'), '[ca]\ndefault_ca=lab\n[lab]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\ndefault_crl_days=2\n');
  writeFileSync(at('index.txt'), '');
  writeFileSync(at('crlnumber'), '01\n');
  openssl('ca', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.crt', '-revoke', 'listed.crt');
  openssl('ca', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.crt', '-gencrl', '-out', 'crl.pem');
  const withCrl = await startTestAcs(
    { ACS_CWMP_TLS_CERT: at('cwmp.crt'), ACS_CWMP_TLS_KEY: at('cwmp.key'), ACS_CWMP_TLS_CLIENT_CA: at('ca.crt'), ACS_TLS_CRL_FILE: at('crl.pem') },
    { stores: acs.stores, logs },
  );
  try {
    const before = refusals().length;
    const fleetOf = async (prefix: string, name: string) => {
      const fleet = new Fleet({ acsUrl: `${withCrl.cwmpUrl}/cwmp`, seed: SEED, serialPrefix: prefix, retry: false, connectionRequests: false, tls: withCert(name) });
      fleets.push(fleet);
      await fleet.start();
      return fleet.device(0).runSession();
    };
    expect(await fleetOf('CRL', 'listed')).toMatchObject({ ok: false, httpStatus: 401 });
    expect(refusals().slice(before)).toEqual([expect.objectContaining({ reason: 'revoked (ACS_TLS_CRL_FILE)', subject: expect.stringContaining(`CN=${serialOf('CRL')}`) })]);
    expect((await fleetOf('MTLS', 'phone')).ok).toBe(true);
  } finally {
    await withCrl.close();
  }
});
