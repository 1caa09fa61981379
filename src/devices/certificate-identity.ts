import type { PeerCertificate } from 'node:tls';
import { normaliseMac } from './mac-directory';

/**
 * The one place that decides whether a verified TLS client certificate speaks for a device,
 * used by the CWMP endpoint and by the phones' provisioning channel alike.
 *
 * A certificate identifies a device only by an exact name, never by a substring: `FCH1234`
 * must not vouch for `FCH12`. Accepted forms:
 * - the subject CN, or a subjectAltName (DNS, URI, email or otherName value), equal to the
 *   device's serial number;
 * - Cisco's manufacturing (MIC) subject: `L=<serial>` equal to the serial number, or
 *   `ST=<MAC>` (written `S=` in Cisco's guides) equal to the device's MAC address.
 *
 * Case: serial numbers compare without regard to ASCII case (CPEs and CAs disagree on it);
 * MAC addresses compare after normalising to 12 lower-case hex digits, so `00:0E:08:AA:BB:CC`,
 * `000e.08aa.bbcc` and `000E08AABBCC` are one MAC. Nothing else is normalised: surrounding
 * spaces, a prefix or a suffix make the name another name.
 *
 * Pre-2.0 Cisco phones carry a generic certificate (`L=ciscogeneric`, `ST=ciscogeneric`): it
 * proves the phone is a Cisco phone, not which one, so it identifies no device.
 */
export interface CertificateNames {
  /** subject CN values */
  commonNames: string[];
  /** subjectAltName values without their `DNS:`/`URI:`/... labels */
  altNames: string[];
  /** Cisco MIC subject fields */
  mic: { model?: string; serial?: string; mac?: string };
  /** a Cisco generic (pre-2.0) certificate: no device identity */
  generic: boolean;
}

type SubjectValue = string | string[] | undefined;
export type CertificateSubject = Record<string, SubjectValue>;

const GENERIC = 'ciscogeneric';

function values(v: SubjectValue): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((s) => typeof s === 'string' && s.length > 0);
}

/**
 * Splits Node's `subjectaltname` string (`DNS:a.example, IP Address:10.0.0.1, URI:x`). Values
 * may be quoted when they contain a comma; Node then writes them as JSON strings.
 */
export function parseSubjectAltNames(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  const re = /\s*([A-Za-z][A-Za-z ]*):("(?:[^"\\]|\\.)*"|[^,]*)\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[0].length > 0) {
    const raw = m[2].trim();
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        continue;
      }
    }
    if (value) out.push(value);
    if (re.lastIndex >= text.length) break;
  }
  return out;
}

/** The names of a certificate, from its subject fields and its subjectAltName string. */
export function certificateNames(subject: CertificateSubject | undefined, subjectAltName?: string): CertificateNames {
  const s = subject ?? {};
  const serial = values(s.L)[0];
  const st = values(s.ST)[0] ?? values(s.S)[0];
  const generic = serial?.toLowerCase() === GENERIC || st?.toLowerCase() === GENERIC;
  const mac = st === undefined ? undefined : normaliseMac(st);
  const model = values(s.OU)[0];
  return {
    commonNames: values(s.CN),
    altNames: parseSubjectAltNames(subjectAltName),
    mic: generic ? {} : { ...(model ? { model } : {}), ...(serial ? { serial } : {}), ...(mac ? { mac } : {}) },
    generic,
  };
}

/** The names of a peer certificate as Node's TLS socket reports it. */
export function peerCertificateNames(cert: PeerCertificate | undefined): CertificateNames | undefined {
  if (!cert || !Object.keys(cert).length) return undefined;
  return certificateNames(cert.subject as unknown as CertificateSubject, cert.subjectaltname);
}

export interface DeviceIdentity {
  serialNumber?: string;
  /** any notation; normalised before comparing */
  mac?: string;
}

/** How a certificate matched a device, for logs; undefined when it does not speak for it. */
export type CertificateMatch = 'common-name' | 'subject-alt-name' | 'mic-serial' | 'mic-mac';

function sameSerial(a: string, b: string): boolean {
  return a.length === b.length && a.toUpperCase() === b.toUpperCase();
}

/** Whether the certificate names exactly this device (see the module comment for the rules). */
export function matchCertificate(names: CertificateNames | undefined, device: DeviceIdentity): CertificateMatch | undefined {
  if (!names || names.generic) return undefined;
  const serial = device.serialNumber;
  if (serial) {
    if (names.commonNames.some((n) => sameSerial(n, serial))) return 'common-name';
    if (names.altNames.some((n) => sameSerial(n, serial))) return 'subject-alt-name';
    if (names.mic.serial !== undefined && sameSerial(names.mic.serial, serial)) return 'mic-serial';
  }
  const mac = device.mac === undefined ? undefined : normaliseMac(device.mac);
  if (mac && names.mic.mac === mac) return 'mic-mac';
  return undefined;
}
