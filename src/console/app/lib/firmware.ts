/**
 * The firmware page's logic: the policy form (text inputs) to and from the API's policy, the
 * rollout's waves as rows, and the version snapshots as chart series. Pure.
 */
import { formatWave, formatWindow, parseWave, parseWindow, WAVE_SYNTAX, WINDOW_SYNTAX, type WaveNotation, type WindowNotation } from '../../../firmware/notation';
import { topField, type FormErrors } from './forms';

export interface PolicyForm {
  productClass: string;
  target: string;
  /** comma- or space-separated loads */
  stages: string;
  floor: string;
  allowDowngrade: boolean;
  /** one window per line, `[days@]HH:MM-HH:MM` */
  windows: string;
  utcOffsetMinutes: string;
  /** comma-separated, `10%` or a device count */
  waves: string;
  /** percent */
  faultThreshold: string;
  minResults: string;
  soakSeconds: string;
}

export const POLICY_INPUTS = ['productClass', 'target', 'stages', 'floor', 'allowDowngrade', 'windows', 'utcOffsetMinutes', 'waves', 'faultThreshold', 'minResults', 'soakSeconds'] as const;
export type PolicyInputName = (typeof POLICY_INPUTS)[number];

export interface PolicyInput {
  target: string;
  stages: string[];
  floor?: string;
  allowDowngrade: boolean;
  windows: WindowNotation[];
  utcOffsetMinutes: number;
  waves: WaveNotation[];
  faultThreshold: number;
  minResults: number;
  soakSeconds: number;
}

export const EMPTY_POLICY_FORM: PolicyForm = {
  productClass: '',
  target: '',
  stages: '',
  floor: '',
  allowDowngrade: false,
  windows: '',
  utcOffsetMinutes: '0',
  waves: '100%',
  faultThreshold: '20',
  minResults: '5',
  soakSeconds: '0',
};

type PolicyLike = Pick<PolicyInput, 'target' | 'stages' | 'floor' | 'allowDowngrade' | 'windows' | 'utcOffsetMinutes'> & {
  productClass: string;
  rollout: Pick<PolicyInput, 'faultThreshold' | 'minResults' | 'soakSeconds'> & { waves: { percent?: number; count?: number }[] };
};

/** The form filled with a stored policy, to edit it. */
export function formOf(p: PolicyLike): PolicyForm {
  return {
    productClass: p.productClass,
    target: p.target,
    stages: p.stages.join(', '),
    floor: p.floor ?? '',
    allowDowngrade: p.allowDowngrade,
    windows: p.windows.map(formatWindow).join('\n'),
    utcOffsetMinutes: String(p.utcOffsetMinutes),
    waves: p.rollout.waves.map(formatWave).join(', '),
    faultThreshold: String(Math.round(p.rollout.faultThreshold * 10_000) / 100),
    minResults: String(p.rollout.minResults),
    soakSeconds: String(p.rollout.soakSeconds),
  };
}

const list = (text: string, separator: RegExp) => text.split(separator).map((s) => s.trim()).filter(Boolean);

/**
 * The API's policy input from the form, or the inputs whose text has the wrong shape (what the
 * values mean, the API judges: its refusals come back to the same inputs).
 */
export function policyInput(form: PolicyForm): { input: PolicyInput } | { errors: FormErrors } {
  const fields: Record<string, string> = {};
  const number = (name: PolicyInputName, text: string, integer: boolean): number => {
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) fields[name] = `must be ${integer ? 'a whole number' : 'a number'}, not ${JSON.stringify(text)}`;
    return n;
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(form.productClass.trim())) fields.productClass = 'is required: letters, digits, ".", "_" or "-" (e.g. CP-8851-3PCC)';
  if (!form.target.trim()) fields.target = 'is required: the load every device should end on';
  const waves = list(form.waves, /,/).map((w) => [w, parseWave(w)] as const);
  const badWave = waves.find(([, w]) => !w);
  if (badWave) fields.waves = `${JSON.stringify(badWave[0])} is not ${WAVE_SYNTAX}`;
  else if (!waves.length) fields.waves = 'needs at least one wave';
  const windows = list(form.windows, /\n|;/).map((w) => [w, parseWindow(w)] as const);
  const badWindow = windows.find(([, w]) => !w);
  if (badWindow) fields.windows = `${JSON.stringify(badWindow[0])} is not ${WINDOW_SYNTAX}`;
  const input: PolicyInput = {
    target: form.target.trim(),
    stages: list(form.stages, /[\s,]+/),
    ...(form.floor.trim() ? { floor: form.floor.trim() } : {}),
    allowDowngrade: form.allowDowngrade,
    windows: windows.map(([, w]) => w!),
    utcOffsetMinutes: number('utcOffsetMinutes', form.utcOffsetMinutes, true),
    waves: waves.map(([, w]) => w!),
    faultThreshold: number('faultThreshold', form.faultThreshold, false) / 100,
    minResults: number('minResults', form.minResults, true),
    soakSeconds: number('soakSeconds', form.soakSeconds, true),
  };
  if (Object.keys(fields).length) return { errors: { fields, general: [`Not saved: ${Object.keys(fields).length === 1 ? 'one field needs' : `${Object.keys(fields).length} fields need`} attention (marked below).`] } };
  return { input };
}

/** The form input an API field belongs to (`stages.1` -> stages). */
export function policyInputOf(field: string): PolicyInputName | undefined {
  const top = topField(field);
  return (POLICY_INPUTS as readonly string[]).includes(top) ? (top as PolicyInputName) : undefined;
}

export interface WaveLike {
  percent?: number;
  count?: number;
  size: number | null;
  admitted: number;
  done: number;
  fault: number;
  finishedAt?: string;
}

export interface WaveRow {
  label: string;
  size: string;
  admitted: number;
  done: number;
  fault: number;
  /** faulted share of the results so far, as text */
  faultRate: string;
  /** above the threshold (once enough results are in, the rollout pauses on it) */
  overThreshold: boolean;
  state: 'finished' | 'current' | 'waiting';
  /** admitted devices whose result is in, 0..1 */
  progress: number;
}

export function faultRate(w: { done: number; fault: number }): number | undefined {
  const results = w.done + w.fault;
  return results ? w.fault / results : undefined;
}

export const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10} %`;

/** The rollout's waves as table rows (`current`: the index of the wave admitting now). */
export function waveRows(rollout: { wave: number; faultThreshold: number; waves: WaveLike[] }): WaveRow[] {
  return rollout.waves.map((w, i) => {
    const rate = faultRate(w);
    const target = w.size ?? w.admitted;
    return {
      label: w.percent !== undefined ? `up to ${w.percent} %` : `up to ${w.count} devices`,
      size: w.size === null ? 'all' : String(w.size),
      admitted: w.admitted,
      done: w.done,
      fault: w.fault,
      faultRate: rate === undefined ? '—' : percent(rate),
      overThreshold: rate !== undefined && rate > rollout.faultThreshold,
      state: w.finishedAt ? 'finished' : i === rollout.wave ? 'current' : i < rollout.wave ? 'finished' : 'waiting',
      progress: target > 0 ? Math.min(1, (w.done + w.fault) / target) : 0,
    };
  });
}

export interface VersionPoint {
  at: string;
  counts: { productClass: string; version: string; count: number }[];
}

export interface VersionSeries {
  /** the points' times, as labels */
  at: string[];
  /** one line per version, its device count at each point (0 when absent), most devices last seen first */
  versions: { version: string; counts: number[] }[];
}

/** Snapshots as one series per software version (of one product class, or summed over all). */
export function versionSeries(points: readonly VersionPoint[], productClass?: string): VersionSeries {
  const byVersion = new Map<string, number[]>();
  points.forEach((p, i) => {
    for (const c of p.counts) {
      if (productClass !== undefined && c.productClass !== productClass) continue;
      const version = c.version || '(unknown)';
      const counts = byVersion.get(version) ?? new Array<number>(points.length).fill(0);
      counts[i]! += c.count;
      byVersion.set(version, counts);
    }
  });
  const last = points.length - 1;
  const versions = [...byVersion].map(([version, counts]) => ({ version, counts })).sort((a, b) => (b.counts[last] ?? 0) - (a.counts[last] ?? 0) || a.version.localeCompare(b.version));
  return { at: points.map((p) => p.at), versions };
}

/** A snapshot's time as a chart label, as precise as the snapshots are frequent (UTC). */
export function pointLabel(at: string, intervalSeconds: number): string {
  const iso = new Date(at).toISOString();
  if (intervalSeconds >= 86_400) return iso.slice(0, 10);
  if (intervalSeconds >= 60) return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 19);
}

/** Product classes present in the snapshots, sorted. */
export function snapshotClasses(points: readonly VersionPoint[]): string[] {
  return [...new Set(points.flatMap((p) => p.counts.map((c) => c.productClass)))].filter(Boolean).sort();
}
