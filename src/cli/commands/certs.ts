import { createPrivateKey } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  CaFileError,
  CertificateError,
  createCa,
  describeCertificate,
  issueDevice,
  issueServer,
  IssueError,
  pemBlocks,
  phoneCaFile,
  readCertificates,
  type CertificateSummary,
  type KeyAndCertificate,
} from '../../certs';
import { details, json } from '../api/output';
import { CliError, EXIT, UsageError } from '../errors';

const DEFAULT_WARN_DAYS = 30;

interface Output {
  cert: string;
  key: string;
  force?: boolean;
  days: string;
  warnDays: string;
}

interface Signed extends Output {
  caCert: string;
  caKey: string;
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} ${JSON.stringify(value)} must be a whole number from ${min} to ${max}`);
  return n;
}

function read(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`${flag} ${JSON.stringify(file)} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Writes a file only its owner may read (0600), refusing to overwrite one unless forced. */
function writePrivate(flag: string, file: string, content: string, force: boolean): void {
  try {
    writeFileSync(file, content, { mode: 0o600, flag: force ? 'w' : 'wx' });
    // an overwritten file keeps its old mode: set it
    chmodSync(file, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${flag} ${JSON.stringify(file)} exists already (add --force to replace it)`);
    throw new UsageError(`${flag} ${JSON.stringify(file)} cannot be written: ${code ?? (err as Error).message}`);
  }
}

function summaryLines(s: CertificateSummary): string {
  return details([
    ['subject', s.subject],
    ['issuer', s.issuer],
    ['subjectAltName', s.altNames],
    ['serial', s.serialNumber],
    ['not before', s.notBefore.toISOString()],
    ['not after', s.notAfter.toISOString()],
    ['days left', s.daysLeft],
    ['CA', s.ca ? 'yes' : 'no'],
    ['key', s.key],
    ['SHA-256', s.fingerprints.sha256],
    ['SHA-1', s.fingerprints.sha1],
  ]);
}

/** The warning `acs certs` prints on stderr for a certificate near or past its end; undefined when none. */
export function expiryWarning(s: CertificateSummary, warnDays: number): string | undefined {
  if (s.daysLeft < 0) return `acs: warning: certificate ${s.subject} expired on ${s.notAfter.toISOString()}\n`;
  if (s.daysLeft < warnDays) return `acs: warning: certificate ${s.subject} expires in ${s.daysLeft} days, on ${s.notAfter.toISOString()}\n`;
  return undefined;
}

function report(summaries: CertificateSummary[], warnDays: number, asJson: boolean): void {
  process.stdout.write(asJson ? json(summaries) : summaries.map(summaryLines).join('\n'));
  for (const s of summaries) {
    const warning = expiryWarning(s, warnDays);
    if (warning) process.stderr.write(warning);
  }
}

function issue(opts: Output, make: () => KeyAndCertificate): void {
  const warnDays = wholeNumber('--warn-days', opts.warnDays, 0, 36500);
  let issued: KeyAndCertificate;
  try {
    issued = make();
  } catch (err) {
    if (err instanceof IssueError) throw new UsageError(err.message);
    throw err;
  }
  writePrivate('--key', opts.key, issued.key, opts.force === true);
  writePrivate('--cert', opts.cert, issued.cert, opts.force === true);
  report([describeCertificate(readCertificates(Buffer.from(issued.cert))[0])], warnDays, false);
  process.stderr.write(`wrote ${opts.cert} and ${opts.key} (mode 0600; the key is not shown)\n`);
}

function signer(opts: Signed): KeyAndCertificate {
  return { cert: read('--ca-cert', opts.caCert).toString('utf8'), key: read('--ca-key', opts.caKey).toString('utf8') };
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function validFrom(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new UsageError(`--not-before ${JSON.stringify(value)} is not an ISO 8601 date (2026-01-31 or 2026-01-31T12:00:00Z)`);
  return date;
}

function outputOptions(command: Command, days: number): Command {
  return command
    .requiredOption('--cert <file>', 'where to write the certificate (PEM)')
    .requiredOption('--key <file>', 'where to write its private key (PEM, mode 0600, never printed)')
    .option('--days <n>', 'days of validity', String(days))
    .option('--warn-days <n>', 'warn when fewer days are left', String(DEFAULT_WARN_DAYS))
    .option('--force', 'replace existing files');
}

function signedOptions(command: Command, days: number): Command {
  return outputOptions(command, days)
    .requiredOption('--ca-cert <file>', 'the signing CA certificate (from `acs certs ca`)')
    .requiredOption('--ca-key <file>', "the signing CA's private key");
}

/** What `acs certs show` prints for a file: its certificates and, only if asked, its keys. */
function show(file: string, opts: { json?: boolean; warnDays: string; showKey?: boolean }): void {
  const warnDays = wholeNumber('--warn-days', opts.warnDays, 0, 36500);
  const bytes = read('file', file);
  const text = bytes.toString('latin1');
  const blocks = text.includes('-----BEGIN ') ? pemBlocks(text) : [];
  const keys = blocks.filter((b) => /PRIVATE KEY$/.test(b.label));
  // a key file alone holds no certificate: nothing to read, only the key to mention
  const certificates = blocks.length && !blocks.some((b) => /CERTIFICATE$/.test(b.label)) ? [] : readOrFail(file, bytes);
  report(certificates.map((c) => describeCertificate(c)), warnDays, opts.json === true);
  for (const block of keys) {
    if (opts.showKey) process.stdout.write(`${block.pem.replace(/\r\n/g, '\n')}\n`);
    else process.stderr.write(`${file} holds a private key (${keyKind(block.label, block.der)}); not shown (--show-key prints it)\n`);
  }
  if (!certificates.length && !keys.length) throw new UsageError(`${file} holds no certificate or key`);
}

function keyKind(label: string, der: Buffer): string {
  if (label.startsWith('ENCRYPTED')) return 'encrypted';
  try {
    const key = createPrivateKey({ key: der, format: 'der', type: label === 'RSA PRIVATE KEY' ? 'pkcs1' : label === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8' });
    const d = key.asymmetricKeyDetails ?? {};
    return [key.asymmetricKeyType, d.modulusLength ?? d.namedCurve].filter(Boolean).join(' ');
  } catch {
    return 'unreadable';
  }
}

function readOrFail(file: string, bytes: Buffer) {
  try {
    return readCertificates(bytes);
  } catch (err) {
    if (err instanceof CertificateError) throw new CliError(`${file}: ${err.message}`, EXIT.usage);
    throw err;
  }
}

/**
 * `acs certs`: a private CA, server certificates for the cwmp and fs roles, device client
 * certificates for testing mutual TLS, what a certificate says, and the CA file phones take.
 * Keys go to files (0600) and are never printed unless asked.
 */
export function register(program: Command): void {
  const certs = program.command('certs').description('make and inspect TLS certificates: private CA, server (cwmp, fs), device client certificates');
  outputOptions(certs.command('ca').description('create a private CA (self-signed, RSA 2048, SHA-256)'), 3650)
    .option('--name <cn>', 'the CA subject common name', 'ACS private CA')
    .option('--org <o>', 'the CA subject organization')
    .action((opts: Output & { name: string; org?: string }) =>
      issue(opts, () => createCa({ commonName: opts.name, organization: opts.org, days: wholeNumber('--days', opts.days, 1, 36500) })),
    );
  signedOptions(certs.command('server').description('issue a server certificate for the cwmp or fs role (serverAuth, subjectAltNames)'), 397)
    .requiredOption('--role <role>', 'cwmp or fs')
    .option('--dns <names>', 'DNS names, comma-separated (the first becomes the CN)')
    .option('--ip <addresses>', 'IP addresses, comma-separated')
    .action((opts: Signed & { role: string; dns?: string; ip?: string }) => {
      if (opts.role !== 'cwmp' && opts.role !== 'fs') throw new UsageError(`--role must be cwmp or fs, got ${JSON.stringify(opts.role)}`);
      const role = opts.role;
      issue(opts, () => issueServer(signer(opts), { role, dnsNames: list(opts.dns), ipAddresses: list(opts.ip), days: wholeNumber('--days', opts.days, 1, 36500) }));
    });
  signedOptions(certs.command('device').description('issue a device client certificate naming one device (CN and L= serial, ST= MAC, OU= model), for testing mutual TLS'), 365)
    .requiredOption('--serial <serial>', "the device's serial number")
    .option('--mac <mac>', "the device's MAC address")
    .option('--model <model>', 'the product name, e.g. CP-8851-3PCC')
    .option('--not-before <date>', 'start of validity (ISO 8601; default now)')
    .action((opts: Signed & { serial: string; mac?: string; model?: string; notBefore?: string }) =>
      issue(opts, () =>
        issueDevice(signer(opts), { serialNumber: opts.serial, mac: opts.mac, model: opts.model, days: wholeNumber('--days', opts.days, 1, 36500), notBefore: validFrom(opts.notBefore) }),
      ),
    );
  certs
    .command('show <file>')
    .description("print a certificate's subject, subjectAltNames, issuer, validity and fingerprints (PEM bundles or DER; RSA or EC)")
    .option('--json', 'print JSON')
    .option('--warn-days <n>', 'warn when fewer days are left', String(DEFAULT_WARN_DAYS))
    .option('--show-key', 'also print private keys the file holds')
    .action(show);
  certs
    .command('export-ca <file>')
    .description("write the CA file phones take in a Custom CA download (PEM, CA certificates only), checking it as the API's upload does")
    .requiredOption('--out <file>', 'where to write it')
    .option('--force', 'replace an existing file')
    .action((file: string, opts: { out: string; force?: boolean }) => {
      let ca;
      try {
        ca = phoneCaFile(read('file', file));
      } catch (err) {
        if (err instanceof CaFileError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
      writePrivate('--out', opts.out, ca.pem, opts.force === true);
      process.stdout.write(`wrote ${opts.out}: ${ca.subjects.join('; ')} (upload it with \`acs files upload --kind ca\`)\n`);
    });
}
