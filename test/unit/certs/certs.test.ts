import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaFileError, createCa, describeCertificate, issueDevice, issueServer, IssueError, phoneCaFile, readCertificates } from '../../../src/certs';
import { certificateNames, matchCertificate, type CertificateSubject } from '../../../src/devices/certificate-identity';

const ca = createCa({ commonName: 'Unit CA', days: 30 });
const der = (pem: string) => new X509Certificate(pem).raw;

describe('issuing with node-forge', () => {
  it('a CA certificate is a CA, self-signed, for signing certificates', () => {
    const cert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(describeCertificate(cert).daysLeft).toBeGreaterThanOrEqual(29);
    expect(ca.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('a server certificate carries its DNS names and IPs, serverAuth, and is signed by the CA', () => {
    const server = new X509Certificate(issueServer(ca, { role: 'cwmp', dnsNames: ['acs.example.net'], ipAddresses: ['127.0.0.1', '::1'], days: 10 }).cert);
    expect(server.ca).toBe(false);
    expect(server.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(server.checkHost('acs.example.net')).toBe('acs.example.net');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('10.0.0.1')).toBeUndefined();
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(describeCertificate(server)).toMatchObject({ subject: 'CN=acs.example.net, OU=acs cwmp', issuer: 'CN=Unit CA', key: 'rsa 2048' });
    expect(describeCertificate(server).altNames).toEqual(['DNS:acs.example.net', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']);
  });

  it('a device certificate names exactly its device, as the CWMP and phone channels match them', () => {
    const issued = issueDevice(ca, { serialNumber: 'FCH2233', mac: '00:56:2B:01:02:03', model: 'CP-8851-3PCC', days: 10 });
    const cert = new X509Certificate(issued.cert);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    const fields: CertificateSubject = Object.fromEntries(cert.subject.split('\n').map((l) => l.split('=') as [string, string]));
    const names = certificateNames(fields, cert.subjectAltName);
    expect(matchCertificate(names, { serialNumber: 'FCH2233' })).toBe('common-name');
    expect(matchCertificate(names, { serialNumber: 'FCH22', mac: '00562b010203' })).toBe('mic-mac');
    expect(matchCertificate(names, { serialNumber: 'FCH22' })).toBeUndefined();
  });

  it('refuses bad input, naming it', () => {
    expect(() => issueServer(ca, { role: 'fs', dnsNames: ['bad name'], ipAddresses: [], days: 10 })).toThrow(new IssueError('"bad name" is not a DNS name'));
    expect(() => issueServer(ca, { role: 'fs', dnsNames: [], ipAddresses: ['300.1.1.1'], days: 10 })).toThrow('"300.1.1.1" is not an IP address');
    expect(() => issueServer(ca, { role: 'fs', dnsNames: [], ipAddresses: [], days: 10 })).toThrow('at least one DNS name or IP address');
    expect(() => createCa({ commonName: 'x', days: 0 })).toThrow('days must be a whole number from 1 to 36500, got 0');
    const leaf = issueDevice(ca, { serialNumber: 'FCH1', days: 1 });
    expect(() => issueDevice(leaf, { serialNumber: 'FCH2', days: 1 })).toThrow('the CA certificate is not a CA');
    const other = createCa({ commonName: 'Other', days: 1 });
    expect(() => issueDevice({ cert: ca.cert, key: other.key }, { serialNumber: 'FCH2', days: 1 })).toThrow('the CA key does not belong to the CA certificate');
  });
});

describe('CA files for phones', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'acs-unit-ca-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a PEM bundle and gives it back as PEM with LF line ends, in order', () => {
    const second = createCa({ commonName: 'Second CA', days: 5 });
    const file = phoneCaFile(Buffer.from((ca.cert + second.cert).replace(/\r?\n/g, '\r\n')));
    expect(file.subjects).toEqual(['CN=Unit CA', 'CN=Second CA']);
    expect(file.pem).not.toContain('\r');
    expect(readCertificates(Buffer.from(file.pem)).map((c) => c.fingerprint256)).toEqual([ca.cert, second.cert].map((p) => new X509Certificate(p).fingerprint256));
  });

  it('takes DER and converts it to PEM', () => {
    const file = phoneCaFile(der(ca.cert));
    expect(file.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(new X509Certificate(file.pem).fingerprint256).toBe(new X509Certificate(ca.cert).fingerprint256);
  });

  it('takes an EC CA (read by OpenSSL, not node-forge)', () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ec.key', '-out', 'ec.crt', '-days', '2', '-subj', '/CN=EC CA'], { cwd: dir, stdio: 'pipe' });
    const file = phoneCaFile(readFileSync(path.join(dir, 'ec.crt')));
    expect(file.subjects).toEqual(['CN=EC CA']);
    expect(describeCertificate(new X509Certificate(file.pem)).key).toBe('ec prime256v1');
  });

  it.each([
    ['a leaf certificate', () => Buffer.from(issueDevice(ca, { serialNumber: 'FCH9', days: 1 }).cert), 'certificate 1', 'certificate 1 (CN=FCH9, L=FCH9) is not a CA certificate (no basicConstraints CA:TRUE)'],
    ['a leaf after a CA', () => Buffer.from(ca.cert + issueDevice(ca, { serialNumber: 'FCH9', days: 1 }).cert), 'certificate 2', 'certificate 2 (CN=FCH9, L=FCH9) is not a CA'],
    ['an expired CA', () => Buffer.from(createCa({ commonName: 'Old CA', days: 1, notBefore: new Date('2020-01-01T00:00:00Z') }).cert), 'certificate 1', 'certificate 1 (CN=Old CA) expired on 2020-01-02T00:00:00.000Z'],
    ['a CA not yet valid', () => Buffer.from(createCa({ commonName: 'Future CA', days: 1, notBefore: new Date('2099-01-01T00:00:00Z') }).cert), 'certificate 1', 'is not valid before 2099-01-01T00:00:00.000Z'],
    ['a CA with its key', () => Buffer.from(ca.cert + ca.key), 'file', 'holds a private key'],
    ['an empty file', () => Buffer.alloc(0), 'file', 'the CA file is empty'],
    ['text', () => Buffer.from('hello'), 'file', 'the file is not an X.509 certificate in PEM or DER'],
    ['PEM without certificates', () => Buffer.from('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), 'file', 'holds no CERTIFICATE block'],
    ['a huge file', () => Buffer.alloc(70_000, 0x41), 'file', 'has 70000 bytes, more than the 65536'],
  ])('refuses %s, naming the problem', (_what, bytes, part, message) => {
    let error: unknown;
    try {
      phoneCaFile(bytes());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CaFileError);
    expect((error as CaFileError).part).toBe(part);
    expect((error as CaFileError).message).toContain(message);
  });
});
