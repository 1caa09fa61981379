import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/cli';

let dir: string;
const at = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'acs-cli-certs-'));
  const ca = await runCli('certs', 'ca', '--cert', at('ca.crt'), '--key', at('ca.key'), '--name', 'Lab CA');
  expect(ca.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signed = () => ['--ca-cert', at('ca.crt'), '--ca-key', at('ca.key')];

it('acs certs ca writes the CA and its key with mode 0600, and prints the certificate, not the key', async () => {
  for (const file of ['ca.crt', 'ca.key']) expect(statSync(at(file)).mode & 0o777).toBe(0o600);
  const shown = await runCli('certs', 'show', at('ca.crt'));
  expect(shown.stdout).toMatch(/^subject +CN=Lab CA$/m);
  expect(shown.stdout).toMatch(/^CA +yes$/m);
  expect(shown.stdout).toMatch(/^SHA-256 +([0-9A-F]{2}:){31}[0-9A-F]{2}$/m);
  expect(new X509Certificate(readFileSync(at('ca.crt'))).ca).toBe(true);
});

it('acs certs server issues a cwmp certificate with its DNS and IP subjectAltNames', async () => {
  const run = await runCli('certs', 'server', '--role', 'cwmp', '--dns', 'acs.example.net,acs', '--ip', '127.0.0.1', ...signed(), '--cert', at('cwmp.crt'), '--key', at('cwmp.key'));
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^subjectAltName +DNS:acs\.example\.net, DNS:acs, IP Address:127\.0\.0\.1$/m);
  expect(run.stdout).toMatch(/^issuer +CN=Lab CA$/m);
  expect(run.stdout + run.stderr).not.toContain('PRIVATE KEY');
  expect(readFileSync(at('cwmp.key'), 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
  expect(statSync(at('cwmp.key')).mode & 0o777).toBe(0o600);
});

it('never overwrites a file unless --force', async () => {
  const again = await runCli('certs', 'ca', '--cert', at('ca.crt'), '--key', at('ca.key'));
  expect(again.code).toBe(2);
  expect(again.stderr).toContain(`--key "${at('ca.key')}" exists already (add --force to replace it)`);
});

it('acs certs device issues a MIC-shaped client certificate and warns when it ends soon', async () => {
  const run = await runCli('certs', 'device', '--serial', 'FCH0001', '--mac', '00:56:2B:00:00:01', '--model', 'CP-8851-3PCC', '--days', '5', ...signed(), '--cert', at('dev.crt'), '--key', at('dev.key'));
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^subject +CN=FCH0001, OU=CP-8851-3PCC, L=FCH0001, ST=00:56:2B:00:00:01$/m);
  expect(run.stderr).toMatch(/warning: certificate CN=FCH0001.* expires in 4 days/);
  const shown = await runCli('certs', 'show', at('dev.crt'), '--json');
  expect(JSON.parse(shown.stdout)[0]).toMatchObject({ subject: expect.stringContaining('CN=FCH0001'), ca: false, daysLeft: 4 });
});

it('acs certs show names a key but prints it only with --show-key', async () => {
  const hidden = await runCli('certs', 'show', at('dev.key'));
  expect(hidden.code).toBe(0);
  expect(hidden.stdout).not.toContain('PRIVATE KEY');
  expect(hidden.stderr).toContain('holds a private key (rsa 2048); not shown (--show-key prints it)');
  const shown = await runCli('certs', 'show', at('dev.key'), '--show-key');
  expect(shown.stdout).toContain('-----BEGIN PRIVATE KEY-----');
});

it('acs certs export-ca writes the phone CA file and refuses a leaf certificate, naming it', async () => {
  const ok = await runCli('certs', 'export-ca', at('ca.crt'), '--out', at('phones-ca.pem'));
  expect(ok.code).toBe(0);
  expect(readFileSync(at('phones-ca.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  const leaf = await runCli('certs', 'export-ca', at('cwmp.crt'), '--out', at('leaf.pem'));
  expect(leaf.code).toBe(2);
  expect(leaf.stderr).toContain('certificate 1 (CN=acs.example.net, OU=acs cwmp) is not a CA certificate');
});

it('names bad values', async () => {
  expect((await runCli('certs', 'server', '--role', 'api', '--dns', 'x', ...signed(), '--cert', at('x.crt'), '--key', at('x.key'))).stderr).toContain('--role must be cwmp or fs, got "api"');
  expect((await runCli('certs', 'ca', '--days', 'ten', '--cert', at('y.crt'), '--key', at('y.key'))).stderr).toContain('--days "ten" must be a whole number from 1 to 36500');
  expect((await runCli('certs', 'device', '--serial', 'S', '--not-before', 'yesterday', ...signed(), '--cert', at('z.crt'), '--key', at('z.key'))).stderr).toContain('--not-before "yesterday" is not an ISO 8601 date');
  expect((await runCli('certs', 'show', at('missing.pem'))).stderr).toContain('cannot be read: ENOENT');
});
