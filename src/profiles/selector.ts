import { compareVersions, parseLegacyVersion, parseMppVersion } from '../cisco/rules/version';
import { isDeviceKey } from '../devices/id';
import { normaliseMac } from '../devices/mac-directory';
import type { DeviceFacts, Selector } from './types';

/**
 * Profile selectors: checking them, matching a device, indexing many of them so that an Inform
 * only evaluates the profiles that can match it, and telling whether two can ever match the
 * same device. Pure.
 */

const LIST_LIMIT = 10_000;
const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const PRODUCT_CLASS = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const OUI = /^[0-9A-F]{6}$/;
const SERIAL = /^[\x21-\x7e]{1,64}$/;

/** The selector in canonical form (MACs normalised, (s) => OUI.test(s)s upper case, lists de-duplicated), or the problems found. */
export function checkSelector(input: Selector): { selector: Selector; problems: string[] } {
  const problems: string[] = [];
  const out: Selector = {};
  const list = (field: keyof Omit<Selector, 'softwareVersion'>, valid: (s: string) => boolean, normalise: (s: string) => string | undefined = (s) => s) => {
    const given = input[field];
    if (given === undefined) return;
    if (!Array.isArray(given) || !given.length) return void problems.push(`match.${field} must be a non-empty list`);
    if (given.length > LIST_LIMIT) return void problems.push(`match.${field} has more than ${LIST_LIMIT} entries`);
    const seen = new Set<string>();
    for (const raw of given) {
      const value = typeof raw === 'string' ? normalise(raw) : undefined;
      if (value === undefined || !valid(value)) problems.push(`match.${field}: ${JSON.stringify(String(raw).slice(0, 80))} is not valid`);
      else seen.add(value);
    }
    out[field] = [...seen];
  };
  list('productClasses', (s) => PRODUCT_CLASS.test(s));
  list('ouis', (s) => OUI.test(s), (s) => s.toUpperCase());
  list('tags', (s) => TAG.test(s));
  list('serialNumbers', (s) => SERIAL.test(s));
  list('macs', (s) => /^[0-9a-f]{12}$/.test(s), (s) => normaliseMac(s));
  list('deviceIds', isDeviceKey);
  const range = input.softwareVersion;
  if (range !== undefined) {
    if (range.min === undefined && range.below === undefined) problems.push('match.softwareVersion needs min, below or both');
    for (const key of ['min', 'below'] as const) {
      const v = range[key];
      if (v !== undefined && !isVersion(v)) problems.push(`match.softwareVersion.${key}: ${JSON.stringify(String(v).slice(0, 80))} is not a firmware version like sip88xx.12-0-1MPP`);
    }
    if (range.min !== undefined && range.below !== undefined && isVersion(range.min) && isVersion(range.below)) {
      const c = tryCompare(range.min, range.below);
      if (c === undefined) problems.push('match.softwareVersion: min and below are versions of different series');
      else if (c >= 0) problems.push('match.softwareVersion: min must be below `below`');
    }
    out.softwareVersion = { ...(range.min !== undefined ? { min: range.min } : {}), ...(range.below !== undefined ? { below: range.below } : {}) };
  }
  return { selector: out, problems };
}

function isVersion(v: unknown): v is string {
  return typeof v === 'string' && (parseMppVersion(v) !== undefined || parseLegacyVersion(v) !== undefined);
}

/** -1/0/1, or undefined when the two cannot be compared (different series or formats). */
export function tryCompare(a: string, b: string): -1 | 0 | 1 | undefined {
  try {
    return compareVersions(a, b);
  } catch {
    return undefined;
  }
}

export function inVersionRange(version: string | undefined, range: NonNullable<Selector['softwareVersion']>): boolean {
  if (version === undefined) return false;
  if (range.min !== undefined) {
    const c = tryCompare(version, range.min);
    if (c === undefined || c < 0) return false;
  }
  if (range.below !== undefined) {
    const c = tryCompare(version, range.below);
    if (c === undefined || c >= 0) return false;
  }
  return true;
}

export function matches(s: Selector, d: DeviceFacts): boolean {
  if (s.deviceIds && !s.deviceIds.includes(d.deviceId)) return false;
  if (s.serialNumbers && !s.serialNumbers.includes(d.serialNumber)) return false;
  if (s.macs && (d.mac === undefined || !s.macs.includes(d.mac))) return false;
  if (s.productClasses && !s.productClasses.includes(d.productClass)) return false;
  if (s.ouis && !s.ouis.includes(d.oui.toUpperCase())) return false;
  if (s.tags && !s.tags.every((t) => d.tags.includes(t))) return false;
  if (s.softwareVersion && !inVersionRange(d.softwareVersion, s.softwareVersion)) return false;
  return true;
}

type Dimension = 'deviceIds' | 'serialNumbers' | 'macs' | 'tags' | 'ouis' | 'productClasses';
/** Most selective first: a profile is filed under the first dimension its selector constrains. */
const DIMENSIONS: readonly Dimension[] = ['deviceIds', 'serialNumbers', 'macs', 'tags', 'ouis', 'productClasses'];

/**
 * Selectors indexed by dimension. Each item is filed under the most selective dimension its
 * selector constrains (for `tags`, under every tag it requires would be redundant: the device
 * must carry all of them, so the first one is enough); items constraining none are wildcards.
 * `candidates` returns the items filed under the device's own values, then `matches` decides.
 */
export class SelectorIndex<T extends { match: Selector }> {
  private readonly byKey = new Map<string, T[]>();
  private readonly wildcards: T[] = [];
  readonly size: number;

  constructor(items: readonly T[]) {
    this.size = items.length;
    for (const item of items) {
      const dim = DIMENSIONS.find((d) => item.match[d] !== undefined);
      if (!dim) {
        this.wildcards.push(item);
        continue;
      }
      const values = dim === 'tags' ? [item.match.tags![0]] : item.match[dim]!;
      for (const v of values) {
        const key = `${dim}\n${v}`;
        const bucket = this.byKey.get(key);
        if (bucket) bucket.push(item);
        else this.byKey.set(key, [item]);
      }
    }
  }

  /** Items that may match the device (each at most once), in index order. */
  candidates(d: DeviceFacts): T[] {
    const out = new Set<T>(this.wildcards);
    const add = (dim: Dimension, v: string | undefined) => {
      if (v === undefined) return;
      for (const item of this.byKey.get(`${dim}\n${v}`) ?? []) out.add(item);
    };
    add('deviceIds', d.deviceId);
    add('serialNumbers', d.serialNumber);
    add('macs', d.mac);
    for (const t of d.tags) add('tags', t);
    add('ouis', d.oui.toUpperCase());
    add('productClasses', d.productClass);
    return [...out];
  }

  /** The items whose selector matches the device. */
  match(d: DeviceFacts): T[] {
    return this.candidates(d).filter((item) => matches(item.match, d));
  }
}

/**
 * Whether some device could match both selectors. Sound (never false when a device could match
 * both); a device id, serial number and MAC are treated as unrelated, so it may say yes for
 * selectors that name the same device in different ways.
 */
export function mayOverlap(a: Selector, b: Selector): boolean {
  for (const dim of ['productClasses', 'ouis', 'serialNumbers', 'macs', 'deviceIds'] as const) {
    const x = a[dim];
    const y = b[dim];
    if (x && y && !x.some((v) => y.includes(v))) return false;
  }
  const ra = a.softwareVersion;
  const rb = b.softwareVersion;
  if (ra && rb) {
    const series = (r: NonNullable<Selector['softwareVersion']>) => {
      const v = parseMppVersion(r.min ?? r.below ?? '');
      return v?.dialect === 'mpp' ? v.series : undefined;
    };
    const sa = series(ra);
    const sb = series(rb);
    if (sa !== undefined && sb !== undefined && sa !== sb) return false;
    if (ra.below !== undefined && rb.min !== undefined && (tryCompare(ra.below, rb.min) ?? 1) <= 0) return false;
    if (rb.below !== undefined && ra.min !== undefined && (tryCompare(rb.below, ra.min) ?? 1) <= 0) return false;
  }
  return true;
}
