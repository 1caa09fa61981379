import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** A certificate and its private key, both PEM (the key PKCS#8, unencrypted). */
export interface KeyAndCertificate {
  cert: string;
  key: string;
}

export interface Validity {
  /** default: now (an hour back, for clocks running a little late) */
  notBefore?: Date;
  days: number;
}

export interface CaRequest extends Validity {
  commonName: string;
  organization?: string;
}

export interface ServerRequest extends Validity {
  /** the role it is for, written into the subject's OU */
  role: 'cwmp' | 'fs';
  dnsNames: string[];
  ipAddresses: string[];
}

export interface DeviceRequest extends Validity {
  serialNumber: string;
  /** written as ST=, as Cisco writes the MAC into its manufacturing certificates */
  mac?: string;
  /** written as OU=, the product name in Cisco's certificates */
  model?: string;
}

/** Why a certificate cannot be issued; names the input that is wrong. */
export class IssueError extends Error {
  override name = 'IssueError';
}

const KEY_BITS = 2048;
const SKEW_MS = 3600_000;
// IETF subjectAltName GeneralName tags (RFC 5280 4.2.1.6)
const SAN_DNS = 2;
const SAN_IP = 7;
const DNS_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** RSA key pair made by Node (fast, native), handed to node-forge, which signs RSA only. */
function keyPair(): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: KEY_BITS });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { pem, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/** 16 random bytes, positive (RFC 5280: at most 20 octets, non-negative). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, v: Validity): void {
  if (!Number.isInteger(v.days) || v.days < 1 || v.days > 36500) throw new IssueError(`days must be a whole number from 1 to 36500, got ${v.days}`);
  const from = v.notBefore ?? new Date(Date.now() - SKEW_MS);
  if (Number.isNaN(from.getTime())) throw new IssueError('the start of validity is not a date');
  cert.validity.notBefore = from;
  cert.validity.notAfter = new Date(from.getTime() + v.days * 86_400_000);
}

function text(value: string, what: string): string {
  if (!/^[\x20-\x7e]{1,64}$/.test(value) || value.trim() !== value) throw new IssueError(`${what} ${JSON.stringify(value.slice(0, 80))} must be 1-64 printable ASCII characters without surrounding spaces`);
  return value;
}

interface Signer {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

/** Reads the CA that signs; node-forge reads RSA CAs only, and says so otherwise. */
function loadSigner(ca: KeyAndCertificate): Signer {
  let cert: forge.pki.Certificate;
  let key: forge.pki.rsa.PrivateKey;
  try {
    cert = forge.pki.certificateFromPem(ca.cert);
  } catch (err) {
    throw new IssueError(`the CA certificate cannot sign with node-forge (${(err as Error).message}); acs certs signs with RSA CAs only`);
  }
  try {
    key = forge.pki.privateKeyFromPem(ca.key) as forge.pki.rsa.PrivateKey;
  } catch (err) {
    throw new IssueError(`the CA key is not an unencrypted RSA private key in PEM (${(err as Error).message})`);
  }
  const basic = cert.getExtension('basicConstraints') as { cA?: boolean } | null;
  if (!basic?.cA) throw new IssueError('the CA certificate is not a CA (no basicConstraints CA:TRUE)');
  const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
  if (publicKey.n.compareTo(key.n) !== 0) throw new IssueError('the CA key does not belong to the CA certificate');
  return { cert, key };
}

function sign(subject: forge.pki.CertificateField[], extensions: object[], v: Validity, signer?: Signer): KeyAndCertificate {
  const pair = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = pair.publicKey;
  cert.serialNumber = serial();
  validity(cert, v);
  cert.setSubject(subject);
  cert.setIssuer(signer ? signer.cert.subject.attributes : subject);
  const authority = signer ? [{ name: 'authorityKeyIdentifier', keyIdentifier: signer.cert.generateSubjectKeyIdentifier().getBytes() }] : [];
  cert.setExtensions([...extensions, { name: 'subjectKeyIdentifier' }, ...authority]);
  cert.sign(signer?.key ?? pair.forgeKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: pair.pem };
}

/** A self-signed CA: signs the ACS's server certificates and test devices' client certificates. */
export function createCa(req: CaRequest): KeyAndCertificate {
  const subject = [{ name: 'commonName', value: text(req.commonName, 'the CA name') }];
  if (req.organization) subject.push({ name: 'organizationName', value: text(req.organization, 'the organization') });
  return sign(
    subject,
    [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
    req,
  );
}

/**
 * A server certificate for the cwmp or fs role. Phones check the CN against the host they
 * asked for (001 L1778), clients since RFC 6125 the subjectAltNames: both are set, the CN to
 * the first name.
 */
export function issueServer(ca: KeyAndCertificate, req: ServerRequest): KeyAndCertificate {
  if (!req.dnsNames.length && !req.ipAddresses.length) throw new IssueError('a server certificate needs at least one DNS name or IP address');
  const bad = req.dnsNames.find((n) => !DNS_NAME.test(n) || n.length > 253);
  if (bad !== undefined) throw new IssueError(`${JSON.stringify(bad)} is not a DNS name`);
  const badIp = req.ipAddresses.find((ip) => isIP(ip) === 0);
  if (badIp !== undefined) throw new IssueError(`${JSON.stringify(badIp)} is not an IP address`);
  const signer = loadSigner(ca);
  const altNames = [...req.dnsNames.map((value) => ({ type: SAN_DNS, value })), ...req.ipAddresses.map((ip) => ({ type: SAN_IP, ip }))];
  return sign(
    [
      { name: 'commonName', value: req.dnsNames[0] ?? req.ipAddresses[0] },
      { name: 'organizationalUnitName', value: `acs ${req.role}` },
    ],
    [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
    req,
    signer,
  );
}

/**
 * A device client certificate for testing mutual TLS, shaped like a Cisco manufacturing one:
 * CN and L= the serial number, ST= the MAC, OU= the model (001 L1836-1842), so it names
 * exactly that device for devices/certificate-identity.ts.
 */
export function issueDevice(ca: KeyAndCertificate, req: DeviceRequest): KeyAndCertificate {
  const signer = loadSigner(ca);
  const subject = [{ name: 'commonName', value: text(req.serialNumber, 'the serial number') }];
  if (req.model) subject.push({ name: 'organizationalUnitName', value: text(req.model, 'the model') });
  subject.push({ name: 'localityName', value: req.serialNumber });
  if (req.mac) subject.push({ name: 'stateOrProvinceName', value: text(req.mac, 'the MAC') });
  return sign(
    subject,
    [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
    req,
    signer,
  );
}
