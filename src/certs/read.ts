import { X509Certificate } from 'node:crypto';

/** Why bytes are not the certificates they should be; the message names the problem. */
export class CertificateError extends Error {
  override name = 'CertificateError';
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The PEM blocks of a text, by label (`CERTIFICATE`, `PRIVATE KEY`, ...), in order. */
export function pemBlocks(text: string): Array<{ label: string; der: Buffer; pem: string }> {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1], der: Buffer.from(m[2].replace(/\s+/g, ''), 'base64'), pem: m[0] }));
}

/** True when the text holds a private key block of any kind (PKCS#1, PKCS#8, EC, encrypted). */
export function holdsPrivateKey(text: string): boolean {
  return pemBlocks(text).some((b) => /PRIVATE KEY$/.test(b.label));
}

/**
 * The certificates in a file: PEM (one or more CERTIFICATE blocks) or one DER certificate.
 * Read with Node's X509Certificate (OpenSSL), so RSA and EC certificates alike; node-forge is
 * used only to issue certificates, never to judge them.
 */
export function readCertificates(bytes: Buffer): X509Certificate[] {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN ')) {
    const blocks = pemBlocks(text).filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
    if (!blocks.length) throw new CertificateError('the PEM file holds no CERTIFICATE block');
    return blocks.map((b, i) => parse(b.der, `certificate ${i + 1} of the PEM file`));
  }
  return [parse(bytes, 'the file')];
}

function parse(der: Buffer, what: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (err) {
    throw new CertificateError(`${what} is not an X.509 certificate in PEM or DER (${(err as Error).message})`);
  }
}
