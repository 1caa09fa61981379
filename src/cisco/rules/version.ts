/**
 * Firmware versions as the rules compare them (001 L935-956; 003 L1063-1075).
 *
 * MPP load names: `sip68xx.11-0-1MPP-BN`, `sip88xx.11-2-3MSR1-1`: a series prefix, a dot, then
 * dash-separated parts compared left to right; the first three start with a digit. A part is
 * compared by its leading number, then by the rest in alphabetical order. Strings of another
 * shape (`11.0.0`) are a format error, as on the phone.
 *
 * Legacy (SPA) versions: `2.0.6`, `1.0.31(b)`: three numbers and an optional parenthesised tag.
 */
import { RuleEvaluationError } from './errors';

export type Version =
  | { dialect: 'mpp'; text: string; series: string; parts: string[] }
  | { dialect: 'legacy'; text: string; numbers: [number, number, number]; tag: string };

const MPP = /^([A-Za-z][A-Za-z0-9]*)\.(\d[A-Za-z0-9]*)-(\d[A-Za-z0-9]*)-(\d[A-Za-z0-9]*)((?:-[A-Za-z0-9]+)*)$/;
const LEGACY = /^(\d+)\.(\d+)\.(\d+)(?:\(([A-Za-z0-9]+)\))?$/;

export function parseMppVersion(text: string): Version | undefined {
  const m = MPP.exec(text);
  if (!m) return undefined;
  const rest = m[5] === '' ? [] : m[5].slice(1).split('-');
  return { dialect: 'mpp', text, series: m[1].toLowerCase(), parts: [m[2], m[3], m[4], ...rest] };
}

export function parseLegacyVersion(text: string): Version | undefined {
  const m = LEGACY.exec(text);
  if (!m) return undefined;
  return { dialect: 'legacy', text, numbers: [Number(m[1]), Number(m[2]), Number(m[3])], tag: m[4] ?? '' };
}

export function parseVersion(text: string, dialect: 'mpp' | 'legacy' = 'mpp'): Version | undefined {
  return dialect === 'mpp' ? parseMppVersion(text) : parseLegacyVersion(text);
}

function cmp(a: string | number, b: string | number): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePart(a: string, b: string): -1 | 0 | 1 {
  const ma = /^(\d*)(.*)$/.exec(a) as RegExpExecArray;
  const mb = /^(\d*)(.*)$/.exec(b) as RegExpExecArray;
  const na = ma[1] === '' ? -1 : Number(ma[1]);
  const nb = mb[1] === '' ? -1 : Number(mb[1]);
  return cmp(na, nb) || cmp(ma[2], mb[2]);
}

/** -1, 0 or 1. Throws when the two are not of the same format (or not versions at all). */
export function compareVersions(a: string | Version, b: string | Version): -1 | 0 | 1 {
  const va = typeof a === 'string' ? (parseMppVersion(a) ?? parseLegacyVersion(a)) : a;
  const vb = typeof b === 'string' ? (parseMppVersion(b) ?? parseLegacyVersion(b)) : b;
  const shown = (v: string | Version): string => (typeof v === 'string' ? v : v.text);
  if (!va || !vb) {
    throw new RuleEvaluationError(`"${shown(va ? b : a)}" is not a firmware version like sip68xx.11-0-1MPP`);
  }
  if (va.dialect === 'legacy' && vb.dialect === 'legacy') {
    for (let i = 0; i < 3; i++) {
      const c = cmp(va.numbers[i], vb.numbers[i]);
      if (c) return c;
    }
    return cmp(va.tag, vb.tag);
  }
  if (va.dialect !== 'mpp' || vb.dialect !== 'mpp' || va.series !== vb.series) {
    throw new RuleEvaluationError(`"${va.text}" and "${vb.text}" are versions of different formats`);
  }
  const n = Math.min(va.parts.length, vb.parts.length);
  for (let i = 0; i < n; i++) {
    const c = comparePart(va.parts[i], vb.parts[i]);
    if (c) return c;
  }
  // The guide compares `sip68xx.11-0-0MPP` with loads that carry a build number (001 L972):
  // the shorter name is the lower one.
  return cmp(va.parts.length, vb.parts.length);
}
