import type { Collection, Db } from 'mongodb';
import { loadCatalogue } from '../../cisco/catalogue';
import { CryptoError, decodeProfile, isOpensslSalted, type DecodeOptions } from '../../cisco/crypto';
import { parseProfile, ProfileParseError } from '../../cisco/profile';
import { escapeKey, unescapeKey } from '../../devices/id';

/**
 * What phones report about themselves through Report_Rule uploads (004 L30-160): their full
 * configuration, the fields changed since the last report (`--delta`), or their status
 * (`--status`); plus the values a `--post` resync sends (003 L1190-1206). Stored per device in
 * `cisco_reports` as the device's reported state, apart from the desired state.
 */

export type ReportKind = 'config' | 'delta' | 'status';

export interface ReportDoc {
  _id: string;
  /** the configuration as last reported: full reports replace it, deltas update it (keys escaped) */
  config?: Record<string, string>;
  configAt?: Date;
  deltaAt?: Date;
  /** the last status report, parsed when it was a flat profile, else as text */
  status?: Record<string, string>;
  statusText?: string;
  statusAt?: Date;
  /** name = "value" pairs of the last `--post` resync */
  posted?: Record<string, string>;
  postedAt?: Date;
  updatedAt: Date;
}

/** The reported state as the API shows it (names unescaped). */
export interface ReportedState {
  config?: Record<string, string>;
  configAt?: Date;
  deltaAt?: Date;
  status?: Record<string, string>;
  statusText?: string;
  statusAt?: Date;
  posted?: Record<string, string>;
  postedAt?: Date;
  updatedAt: Date;
}

export const REPORTS_COLLECTION = 'cisco_reports';
const MAX_STATUS_TEXT = 256 * 1024;

/** A report the ACS cannot read; the message says why (wrong key, truncated, not a profile). */
export class ReportError extends Error {
  override name = 'ReportError';
}

/**
 * Undoes the report's encryption and compression and reads its parameters. Secrets a phone
 * should never report (passwords, keys, GPP_SA..SD, 003 L1444) are dropped if present.
 */
export function readReport(body: Uint8Array, kind: ReportKind, options: DecodeOptions): { values?: Record<string, string>; text?: string } {
  if (body.byteLength === 0) throw new ReportError('the report is empty');
  let plain: Buffer;
  try {
    plain = decodeProfile(body, options);
  } catch (err) {
    if (err instanceof CryptoError) throw new ReportError(`the report cannot be decoded: ${err.message}`);
    throw err;
  }
  try {
    const parsed = parseProfile(plain);
    const catalogue = loadCatalogue();
    const values: Record<string, string> = {};
    for (const e of parsed.entries) if (!catalogue.get(e.name)?.secret) values[e.name] = e.value;
    return { values };
  } catch (err) {
    if (!(err instanceof ProfileParseError)) throw err;
    // AES-256-CBC carries no MAC: about one wrong key in 256 still ends in valid padding and
    // decrypts to noise, which is the key's fault, not the phone's profile's.
    if (isOpensslSalted(body)) throw new ReportError(`the report cannot be decoded: the rule's --key does not decrypt it to a flat profile (wrong key or corrupt content: ${err.message})`);
    // Status reports have no documented format (digest §5.8): keep what is readable as text.
    if (kind === 'status' && plain.byteLength <= MAX_STATUS_TEXT && isPrintable(plain)) return { text: plain.toString('utf8') };
    throw new ReportError(`the ${kind} report is not a flat profile: ${err.message}`);
  }
}

function isPrintable(b: Buffer): boolean {
  return !/[\x00-\x08\x0e-\x1f]/.test(b.toString('latin1'));
}

/** `Product = "CP-6841-3PCC"; MAC_Addr = "000e08abcdef";` (a `--post` body, 003 L1199-1207). */
export function parsePostedValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pair = /([A-Za-z_][\w.-]{0,63})\s*=\s*"([^"]{0,1024})"\s*;?/y;
  let at = 0;
  for (let count = 0; ; count++) {
    while (at < text.length && /\s/.test(text[at])) at++;
    if (at >= text.length) break;
    if (count === 256) throw new ReportError('posted values: more than 256 pairs');
    pair.lastIndex = at;
    const m = pair.exec(text);
    if (!m) throw new ReportError(`posted values: expected name = "value"; at character ${at + 1}`);
    out[m[1]] = m[2];
    at = pair.lastIndex;
  }
  return out;
}

export class ReportStore {
  readonly collection: Collection<ReportDoc>;

  constructor(db: Db) {
    this.collection = db.collection<ReportDoc>(REPORTS_COLLECTION);
  }

  /** Stores a decoded report as the device's reported state. */
  async apply(deviceId: string, kind: ReportKind, report: { values?: Record<string, string>; text?: string }, now = new Date()): Promise<void> {
    const set: Record<string, unknown> = { updatedAt: now };
    const unset: Record<string, ''> = {};
    const values = report.values ?? {};
    if (kind === 'config') {
      set.config = escapeKeys(values);
      set.configAt = now;
    } else if (kind === 'delta') {
      for (const [name, value] of Object.entries(values)) set[`config.${escapeKey(name)}`] = value;
      set.deltaAt = now;
    } else {
      if (report.values) {
        set.status = escapeKeys(values);
        unset.statusText = '';
      } else {
        set.statusText = report.text ?? '';
        unset.status = '';
      }
      set.statusAt = now;
    }
    await this.collection.updateOne({ _id: deviceId }, Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set }, { upsert: true });
  }

  async recordPost(deviceId: string, values: Record<string, string>, now = new Date()): Promise<void> {
    await this.collection.updateOne({ _id: deviceId }, { $set: { posted: escapeKeys(values), postedAt: now, updatedAt: now } }, { upsert: true });
  }

  async get(deviceId: string): Promise<ReportedState | undefined> {
    const doc = await this.collection.findOne({ _id: deviceId });
    if (!doc) return undefined;
    const { _id, config, status, posted, ...rest } = doc;
    return {
      ...rest,
      ...(config ? { config: unescapeKeys(config) } : {}),
      ...(status ? { status: unescapeKeys(status) } : {}),
      ...(posted ? { posted: unescapeKeys(posted) } : {}),
    };
  }
}

function escapeKeys(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [escapeKey(k), v]));
}

function unescapeKeys(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [unescapeKey(k), v]));
}
