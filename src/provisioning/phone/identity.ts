import { normaliseMac } from '../../devices/mac-directory';

/**
 * Who a phone says it is when it resyncs or reports without TR-069: the MAC in the path its
 * rule expanded (`/cisco/$MA.xml`, `/CP-6841-3PCC$MA.cfg`), its User-Agent
 * (`Cisco-CP-8851-3PCC/11.2 (00562b043615)`, 001 L1724-1729). Its client certificate is read by
 * devices/certificate-identity.ts. Pure parsing: these name a device, they prove nothing
 * (access.ts decides what does).
 */

export interface UserAgentIdentity {
  model?: string;
  version?: string;
  mac?: string;
}

/**
 * MPP: `Cisco-CP-8851-3PCC/11.2.3 (00562b043615)`; legacy: `cisco/SPA-962-2.0.5 (88012BA01234)`.
 * The parenthesised token is the MAC on MPP phones (`HTTP_User_Agent_Name` defaults to
 * `$VERSION ($MA)`, 001 L3008) although the prose calls it the serial number (digest §11.1 #16);
 * it counts as a MAC only in that form and when it is one.
 */
export function parseUserAgent(header: string | undefined): UserAgentIdentity | undefined {
  if (!header || header.length > 512) return undefined;
  const out: UserAgentIdentity = {};
  const mpp = /^Cisco-(CP-[A-Za-z0-9-]+)\/(\S+)/i.exec(header);
  if (mpp) {
    out.model = mpp[1];
    out.version = mpp[2];
  }
  // Only the MPP form carries the MAC; the legacy token is a serial number.
  const token = mpp ? /\(([^()]{1,40})\)\s*$/.exec(header)?.[1] : undefined;
  const mac = token === undefined ? undefined : normaliseMac(token);
  if (mac) out.mac = mac;
  return Object.keys(out).length ? out : undefined;
}

/**
 * MAC addresses the path may carry, most likely first. A rule such as `CP-6841-3PCC$MA.cfg`
 * glues the MAC to text ending in hex digits (`...3PCC000e08abcdef`), so a run of 13-16 hex
 * digits offers its last and its first 12; longer runs are not MACs.
 */
export function macCandidatesInPath(path: string): string[] {
  const out: string[] = [];
  const add = (m: string | undefined) => {
    const normal = m === undefined ? undefined : normaliseMac(m);
    if (normal && !out.includes(normal)) out.push(normal);
  };
  for (const m of path.matchAll(/[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}/g)) add(m[0]);
  for (const m of path.matchAll(/[0-9A-Fa-f]+/g)) {
    const run = m[0];
    if (run.length < 12 || run.length > 16) continue;
    add(run.slice(-12));
    add(run.slice(0, 12));
  }
  return out.slice(0, 4);
}
