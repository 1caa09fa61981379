import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { oneLine } from '../certs';
import { normaliseSerial } from '../certs/serial';
import { peerCertificateNames, type CertificateNames } from '../devices/certificate-identity';
import type { Logger } from '../log';

/** A client certificate the ACS believes: verified against the configured CAs, in date, not revoked. */
export interface TrustedCertificate {
  names: CertificateNames;
  fingerprint: string;
}

export type CertificateVerdict =
  | { status: 'none' }
  | { status: 'trusted'; certificate: TrustedCertificate }
  /** presented but not believed; `names` for a caller that tells "another device" from "no proof" */
  | { status: 'refused'; reason: string; names?: CertificateNames };

/** Why OpenSSL did not verify a certificate, in words an operator acts on. */
function verificationProblem(code: string, validTo: string, caSetting: string): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `expired on ${new Date(validTo).toISOString()}`;
    case 'CERT_NOT_YET_VALID':
      return 'not valid yet';
    case 'CERT_REVOKED':
      return 'revoked (ACS_TLS_CRL_FILE)';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_SIGNATURE_FAILURE':
      return `not issued by a CA of ${caSetting} (${code})`;
    case 'UNABLE_TO_GET_CRL':
      return `no CRL of its issuer in ACS_TLS_CRL_FILE (${code})`;
    default:
      return `not verified (${code})`;
  }
}

export interface ClientCertificateOptions {
  role: 'cwmp' | 'fs';
  /** the variable naming the CAs, for messages */
  caSetting: string;
  /** serial numbers refused whatever their CA says (ACS_TLS_REVOKED_SERIALS), normalised */
  revokedSerials: ReadonlySet<string>;
  log: Logger;
}

/**
 * Judges the client certificate of a TLS connection once, for every request it carries: the
 * TLS layer verified chain and dates against the configured CAs (and CRLs); this adds the
 * serial numbers revoked by configuration and logs each refusal once, naming the certificate
 * and why. The certificate is read by Node (OpenSSL) whatever its key type: EC certificates
 * are judged like RSA ones.
 */
export class ClientCertificates {
  private readonly verdicts = new WeakMap<object, CertificateVerdict>();

  constructor(private readonly opts: ClientCertificateOptions) {}

  judge(socket: Socket): CertificateVerdict {
    const known = this.verdicts.get(socket);
    if (known) return known;
    const verdict = this.decide(socket as TLSSocket);
    this.verdicts.set(socket, verdict);
    return verdict;
  }

  private decide(socket: TLSSocket): CertificateVerdict {
    if (!socket.encrypted || typeof socket.getPeerX509Certificate !== 'function') return { status: 'none' };
    const x509 = socket.getPeerX509Certificate();
    if (!x509) return { status: 'none' };
    const names = peerCertificateNames(socket.getPeerCertificate());
    let reason: string | undefined;
    if (!socket.authorized) reason = verificationProblem(String(socket.authorizationError ?? 'unknown'), x509.validTo, this.opts.caSetting);
    else if (this.opts.revokedSerials.has(normaliseSerial(x509.serialNumber))) reason = 'revoked (its serial number is in ACS_TLS_REVOKED_SERIALS)';
    else if (!names) reason = 'names nothing (empty subject)';
    if (reason === undefined && names) return { status: 'trusted', certificate: { names, fingerprint: x509.fingerprint256 } };
    const why = reason ?? 'not verified';
    this.opts.log.warn(
      {
        event: 'tls.client_certificate_refused',
        role: this.opts.role,
        reason: why,
        subject: oneLine(x509.subject),
        issuer: oneLine(x509.issuer),
        serial: x509.serialNumber,
        fingerprint: x509.fingerprint256,
        source: socket.remoteAddress,
      },
      `client certificate ${oneLine(x509.subject)} refused: ${why}`,
    );
    return { status: 'refused', reason: why, ...(names ? { names } : {}) };
  }
}
