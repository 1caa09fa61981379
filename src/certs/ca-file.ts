import type { X509Certificate } from 'node:crypto';
import { describeCertificate, oneLine } from './describe';
import { CertificateError, holdsPrivateKey, readCertificates } from './read';

/** Largest CA file accepted: a bundle of a few CA certificates, far below any firmware limit. */
export const MAX_CA_FILE_BYTES = 64 * 1024;
/** Most certificates in one CA file. */
export const MAX_CA_CERTIFICATES = 16;

/** Why a CA file cannot go to phones: `part` names what is wrong (`file`, `certificate 2`). */
export class CaFileError extends Error {
  override name = 'CaFileError';
  constructor(
    readonly part: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PhoneCaFile {
  /** the file as phones take it: PEM, one CERTIFICATE block per CA, LF line ends */
  pem: string;
  /** subjects in order; a phone's "Custom CA Info" shows the CN of the first (000 L1151-1170) */
  subjects: string[];
}

function label(cert: X509Certificate, index: number): string {
  return `certificate ${index + 1} (${oneLine(cert.subject) || 'empty subject'})`;
}

/**
 * Checks a CA file an operator uploads for the phones' Custom CA Download and converts it to
 * the form they take. Accepted: PEM (one or more certificates) or one DER certificate; each
 * must be a CA (basicConstraints CA:TRUE), valid now; no private key may ride along. The
 * guides give no format for the file (cisco-seeds-digest.md, gap 3): PEM is what a phone's
 * web page and the guides' Apache examples use, and a bundle lets the first CA name the set.
 */
export function phoneCaFile(bytes: Buffer, now: Date = new Date()): PhoneCaFile {
  if (bytes.length === 0) throw new CaFileError('file', 'the CA file is empty');
  if (bytes.length > MAX_CA_FILE_BYTES) {
    throw new CaFileError('file', `the CA file has ${bytes.length} bytes, more than the ${MAX_CA_FILE_BYTES} a file of CA certificates needs`);
  }
  if (holdsPrivateKey(bytes.toString('latin1'))) throw new CaFileError('file', 'the CA file holds a private key: upload the CA certificates only, and keep the key secret');
  let certs: X509Certificate[];
  try {
    certs = readCertificates(bytes);
  } catch (err) {
    if (err instanceof CertificateError) throw new CaFileError('file', err.message);
    throw err;
  }
  if (certs.length > MAX_CA_CERTIFICATES) throw new CaFileError('file', `the CA file holds ${certs.length} certificates, more than ${MAX_CA_CERTIFICATES}`);
  certs.forEach((cert, i) => {
    const d = describeCertificate(cert, now);
    const part = `certificate ${i + 1}`;
    if (!cert.ca) throw new CaFileError(part, `${label(cert, i)} is not a CA certificate (no basicConstraints CA:TRUE): it is a leaf certificate issued by ${d.issuer}; upload the CA that issued it`);
    if (d.notAfter.getTime() <= now.getTime()) throw new CaFileError(part, `${label(cert, i)} expired on ${d.notAfter.toISOString()}`);
    if (d.notBefore.getTime() > now.getTime()) throw new CaFileError(part, `${label(cert, i)} is not valid before ${d.notBefore.toISOString()}`);
  });
  return { pem: certs.map((c) => c.toString().replace(/\r\n/g, '\n').trimEnd() + '\n').join(''), subjects: certs.map((c) => oneLine(c.subject)) };
}
