import type { PolicyProblem } from './waves';

/**
 * Maintenance windows: when firmware Downloads may start. A window is a daily time range
 * (`start` inclusive, `end` exclusive, crossing midnight when `end` <= `start`) on some weekdays,
 * in the policy's UTC offset. No windows: any time. Pure.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface MaintenanceWindow {
  /** days the window opens on (default every day) */
  days?: Weekday[];
  /** HH:MM */
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutes(hhmm: string): number {
  const m = HHMM.exec(hhmm)!;
  return Number(m[1]) * 60 + Number(m[2]);
}

export function checkWindows(windows: readonly MaintenanceWindow[], utcOffsetMinutes: number): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const refuse = (field: string, message: string) => void problems.push({ field, message });
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) refuse('utcOffsetMinutes', 'utcOffsetMinutes must be an integer between -840 and 840');
  windows.forEach((w, i) => {
    for (const key of ['start', 'end'] as const) if (!HHMM.test(w[key])) refuse(`windows.${i}.${key}`, `windows.${i}.${key}: "${String(w[key]).slice(0, 20)}" is not HH:MM`);
    if (w.start === w.end) refuse(`windows.${i}.end`, `windows.${i}: start and end are equal (an empty window)`);
    for (const d of w.days ?? []) if (!WEEKDAYS.includes(d)) refuse(`windows.${i}.days`, `windows.${i}.days: "${String(d).slice(0, 20)}" is not one of ${WEEKDAYS.join(', ')}`);
  });
  return problems;
}

export function inWindow(windows: readonly MaintenanceWindow[], utcOffsetMinutes: number, now: Date): boolean {
  if (!windows.length) return true;
  const local = new Date(now.getTime() + utcOffsetMinutes * 60_000);
  const day = local.getUTCDay();
  const t = local.getUTCHours() * 60 + local.getUTCMinutes();
  return windows.some((w) => {
    const start = minutes(w.start);
    const end = minutes(w.end);
    const opensOn = (d: number) => !w.days || w.days.includes(WEEKDAYS[d]);
    // A window crossing midnight belongs to the day it opened on.
    if (start < end) return opensOn(day) && t >= start && t < end;
    return (opensOn(day) && t >= start) || (opensOn((day + 6) % 7) && t < end);
  });
}
