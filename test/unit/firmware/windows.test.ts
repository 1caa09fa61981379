import { checkWindows, inWindow } from '../../../src/firmware/windows';

// 2026-11-18 is a Wednesday.
const at = (iso: string) => new Date(iso);

describe('maintenance windows', () => {
  it('no window: any time', () => {
    expect(inWindow([], 0, at('2026-11-18T12:00:00Z'))).toBe(true);
  });

  it('opens from start (inclusive) to end (exclusive) on the given days, in local time', () => {
    const w = [{ days: ['wed' as const], start: '01:00', end: '05:00' }];
    expect(inWindow(w, 0, at('2026-11-18T01:00:00Z'))).toBe(true);
    expect(inWindow(w, 0, at('2026-11-18T05:00:00Z'))).toBe(false);
    expect(inWindow(w, 0, at('2026-11-19T02:00:00Z'))).toBe(false);
    // UTC+2: 23:30 UTC on Tuesday is 01:30 on Wednesday.
    expect(inWindow(w, 120, at('2026-11-17T23:30:00Z'))).toBe(true);
  });

  it('a window crossing midnight belongs to the day it opened', () => {
    const w = [{ days: ['sat' as const], start: '22:00', end: '02:00' }];
    expect(inWindow(w, 0, at('2026-11-21T23:00:00Z'))).toBe(true);
    expect(inWindow(w, 0, at('2026-11-22T01:59:00Z'))).toBe(true);
    expect(inWindow(w, 0, at('2026-11-22T22:30:00Z'))).toBe(false);
  });

  it('refuses malformed windows', () => {
    expect(checkWindows([{ start: '25:00', end: '01:00' }, { start: '01:00', end: '01:00' }], 0)).toEqual([
      { field: 'windows.0.start', message: 'windows.0.start: "25:00" is not HH:MM' },
      { field: 'windows.1.end', message: 'windows.1: start and end are equal (an empty window)' },
    ]);
    expect(checkWindows([], 900)).toEqual([{ field: 'utcOffsetMinutes', message: 'utcOffsetMinutes must be an integer between -840 and 840' }]);
  });
});
