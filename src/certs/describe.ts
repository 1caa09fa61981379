import type { X509Certificate } from 'node:crypto';

const DAY_MS = 86_400_000;

/** What an operator needs to know about a certificate; never its key. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** subjectAltName entries as Node writes them (`DNS:acs.example.net`, `IP Address:10.0.0.1`) */
  altNames: string[];
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** whole days until notAfter; negative once expired */
  daysLeft: number;
  ca: boolean;
  /** `rsa 2048`, `ec prime256v1`, ... */
  key: string;
  fingerprints: { sha1: string; sha256: string };
}

/** Days from `now` to the end of the certificate's validity, rounded down (negative when past). */
export function daysLeft(cert: X509Certificate, now: Date = new Date()): number {
  return Math.floor((notAfter(cert).getTime() - now.getTime()) / DAY_MS);
}

export function notAfter(cert: X509Certificate): Date {
  return new Date(cert.validTo);
}

export function notBefore(cert: X509Certificate): Date {
  return new Date(cert.validFrom);
}

/** `CN=a, O=b` from Node's newline-separated distinguished name. */
export function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

/** The subject CN, else the whole subject, for short log lines and labels. */
export function shortName(cert: X509Certificate): string {
  const cn = cert.subject.split('\n').find((l) => l.startsWith('CN='));
  return cn ? cn.slice(3) : oneLine(cert.subject);
}

function keyOf(cert: X509Certificate): string {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const size = details.modulusLength ?? details.namedCurve;
  return [key.asymmetricKeyType ?? 'unknown', size].filter((x) => x !== undefined).join(' ');
}

export function describeCertificate(cert: X509Certificate, now: Date = new Date()): CertificateSummary {
  const altText = cert.subjectAltName;
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    altNames: altText ? altText.split(/,\s*(?=[A-Za-z][A-Za-z ]*:)/) : [],
    serialNumber: cert.serialNumber,
    notBefore: notBefore(cert),
    notAfter: notAfter(cert),
    daysLeft: daysLeft(cert, now),
    ca: cert.ca,
    key: keyOf(cert),
    fingerprints: { sha1: cert.fingerprint, sha256: cert.fingerprint256 },
  };
}

