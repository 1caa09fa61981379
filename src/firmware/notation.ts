/**
 * The short notation of waves and maintenance windows that `acs firmware set` and the
 * console's policy form share: `10%` or `50` (devices); `sat,sun@01:00-05:00` or `22:00-02:00`.
 * Pure, without imports (the console bundles it). Parsing only reads the shape; the policy
 * checks (waves.ts, windows.ts) judge the values.
 */
export type WaveNotation = { percent: number } | { count: number };
export interface WindowNotation {
  days?: string[];
  start: string;
  end: string;
}

export const WAVE_SYNTAX = 'a percentage (10%) or a device count (50)';
export const WINDOW_SYNTAX = '[days@]HH:MM-HH:MM (e.g. sat,sun@01:00-05:00)';

export function parseWave(text: string): WaveNotation | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.trim());
  if (!m) return undefined;
  return m[2] ? { percent: Number(m[1]) } : { count: Number(m[1]) };
}

export function formatWave(w: { percent?: number; count?: number }): string {
  return w.percent !== undefined ? `${w.percent}%` : String(w.count);
}

export function parseWindow(text: string): WindowNotation | undefined {
  const m = /^(?:([a-z,]+)@)?(\d\d:\d\d)-(\d\d:\d\d)$/.exec(text.trim());
  if (!m) return undefined;
  return { ...(m[1] ? { days: m[1].split(',') } : {}), start: m[2]!, end: m[3]! };
}

export function formatWindow(w: WindowNotation): string {
  return `${w.days?.length ? `${w.days.join(',')}@` : ''}${w.start}-${w.end}`;
}
