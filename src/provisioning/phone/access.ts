import { matchCertificate, type CertificateMatch, type CertificateNames } from '../../devices/certificate-identity';

/**
 * Who may have which profile, on every path and protocol that serves a phone its profile (the
 * fs role's /cisco/ channel today, a TFTP role later). Pure: the caller gathers the evidence
 * (certificate names, token check, credential verdict) and acts on the decision.
 *
 * A MAC in the path or the User-Agent only says *which* profile is asked for. A profile that
 * holds a secret goes in full only to a requester that proved it is that phone:
 * - a verified client certificate that names exactly this device (certificate-identity.ts);
 * - a token the ACS rendered for this device (token.ts);
 * - HTTP credentials the ACS knows for this device (its own, or a `--uid/--pwd` of its rules).
 * Without proof: a 401 challenge when the device has credentials the phone can answer with
 * (phones send credentials only when challenged), else the operator's choice: the profile
 * without its secrets, or a 401 challenge.
 */

export type UnprovenPolicy = 'redact' | 'refuse';

export interface AccessPolicy {
  unproven: UnprovenPolicy;
  /** ACS_FS_INSECURE_PHONE_CHANNEL: a MAC is taken as proof (labs only) */
  insecure: boolean;
}

export type Proof = { by: 'certificate'; match: CertificateMatch } | { by: 'token'; deviceKey: boolean } | { by: 'credentials' } | { by: 'insecure-mode' };

export interface Evidence {
  proof?: Proof;
  /** the profile holds at least one secret (profile-secrets.ts) */
  hasSecrets: boolean;
  /** the ACS knows credentials the phone could answer a challenge with */
  credentialsKnown: boolean;
}

export type AccessDecision =
  | { serve: 'full'; proof?: Proof }
  | { serve: 'redacted' }
  | { challenge: true; reason: string };

export function decideAccess(policy: AccessPolicy, e: Evidence): AccessDecision {
  if (e.proof) return { serve: 'full', proof: e.proof };
  if (policy.insecure) return { serve: 'full', proof: { by: 'insecure-mode' } };
  if (!e.hasSecrets) return { serve: 'full' };
  if (e.credentialsKnown) return { challenge: true, reason: 'the profile holds secrets: credentials of this device are required' };
  if (policy.unproven === 'redact') return { serve: 'redacted' };
  return { challenge: true, reason: 'the profile holds secrets and the requester proved no identity (client certificate, token or credentials)' };
}

export type CertificateVerdict = { match: CertificateMatch } | { mismatch: string } | undefined;

/**
 * What a verified client certificate says about the device a request names: it proves it, it
 * names another device (refused whatever else the request carries), or it names no device at
 * all (a generic pre-2.0 certificate, or one of another CA's naming scheme).
 */
export function judgeCertificate(names: CertificateNames | undefined, device: { serialNumber?: string; mac?: string }): CertificateVerdict {
  if (!names || names.generic) return undefined;
  const match = matchCertificate(names, device);
  if (match) return { match };
  if (names.mic.mac || names.mic.serial) return { mismatch: `the client certificate names another device (${names.mic.mac ?? names.mic.serial})` };
  return undefined;
}

/**
 * Profile paths are file names, not scripts: a last segment with more than one extension
 * (`<mac>.xml.bak`, `<mac>.cfg.php`) is refused, as is anything outside the characters rule
 * URLs use. `..` and encoded separators are refused before this (files/http/paths.ts).
 */
export function profilePathProblem(path: string): string | undefined {
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (!/^[A-Za-z0-9._:~$-]*$/.test(last)) return 'path refused: the file name holds characters no rule URL uses';
  if ((last.match(/\./g) ?? []).length > 1) return 'path refused: a profile file name has at most one extension';
  return undefined;
}
