/**
 * Syslog messages from the phones (S24): the frame (RFC 5424 `<PRI>1 TIMESTAMP HOST APP PROCID
 * MSGID SD MSG`, or RFC 3164 `<PRI>Mmm dd hh:mm:ss HOST TAG: MSG`), then the provisioning
 * messages of the default templates (000 L240-262; 001 L2593-2598, L2993-3002):
 *
 *   `$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH`
 *   `$PN $MAC -- Successful resync $SCHEME://$SERVIP:$PORT$PATH`
 *   `$PN $MAC -- Resync failed: $ERR`
 *   `$PN $MAC -- Requesting upgrade ...`, `... Successful upgrade ... -- $ERR`, `... Upgrade failed: $ERR`
 *
 * The guides print the separator as `–-` (000 L78, L195-197): either dash is accepted. Pure.
 */

export interface SyslogFrame {
  facility?: number;
  severity?: number;
  hostname?: string;
  /** the message text after the header */
  message: string;
}

export type ProvisioningEventKind = 'resync-request' | 'resync-success' | 'resync-failure' | 'upgrade-request' | 'upgrade-success' | 'upgrade-failure';

export interface ProvisioningMessage {
  kind: ProvisioningEventKind;
  /** $PN, e.g. CP-68xx-3PCC */
  model: string;
  /** lower-case, 12 hex digits */
  mac: string;
  url?: string;
  error?: string;
}

const PRI = /^<(\d{1,3})>/;
const RFC5424 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/s;
const RFC3164 = /^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (\S+) (.*)$/s;

export function parseFrame(text: string): SyslogFrame {
  let rest = text.replace(/[\r\n]+$/, '');
  const pri = PRI.exec(rest);
  const head: Pick<SyslogFrame, 'facility' | 'severity'> = {};
  if (pri && Number(pri[1]) <= 191) {
    head.facility = Math.floor(Number(pri[1]) / 8);
    head.severity = Number(pri[1]) % 8;
    rest = rest.slice(pri[0].length);
  }
  const v1 = RFC5424.exec(rest);
  if (v1) return { ...head, ...(v1[2] !== '-' ? { hostname: v1[2] } : {}), message: (v1[7] ?? '').replace(/^\uFEFF/, '') };
  const bsd = RFC3164.exec(rest);
  if (bsd) return { ...head, hostname: bsd[2], message: bsd[3] };
  return { ...head, message: rest };
}

const MAC = '((?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{12})';
const EVENT = new RegExp(
  `(\\S+) ${MAC} [-\u2013]{1,2} (Requesting resync|Successful resync|Resync failed:|Requesting upgrade|Successful upgrade|Upgrade failed:)\\s*(.*)$`,
  'is',
);
const KINDS: Record<string, ProvisioningEventKind> = {
  'requesting resync': 'resync-request',
  'successful resync': 'resync-success',
  'resync failed:': 'resync-failure',
  'requesting upgrade': 'upgrade-request',
  'successful upgrade': 'upgrade-success',
  'upgrade failed:': 'upgrade-failure',
};

/** The provisioning message in a syslog message text (a tag or identifier may come first), if any. */
export function parseProvisioningMessage(message: string): ProvisioningMessage | undefined {
  const m = EVENT.exec(message);
  if (!m) return undefined;
  const kind = KINDS[m[3].toLowerCase()];
  const mac = m[2].replace(/[:-]/g, '').toLowerCase();
  const rest = m[4].trim();
  if (kind.endsWith('failure')) return { kind, model: m[1], mac, ...(rest ? { error: rest.slice(0, 512) } : {}) };
  // `Successful resync URL` (MPP), `... URL -- $ERR` (legacy and upgrade templates).
  const [url, error] = rest.split(/\s+[-\u2013]{2}\s*/, 2);
  return { kind, model: m[1], mac, ...(url ? { url: url.slice(0, 2048) } : {}), ...(error ? { error: error.slice(0, 512) } : {}) };
}
