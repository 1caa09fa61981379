import { formatWave, formatWindow, parseWave, parseWindow } from '../../../src/firmware/notation';
import { intervalStart } from '../../../src/firmware/version-history';

describe('wave and window notation', () => {
  it('reads and writes waves', () => {
    expect(parseWave('10%')).toEqual({ percent: 10 });
    expect(parseWave(' 12.5 % ')).toEqual({ percent: 12.5 });
    expect(parseWave('50')).toEqual({ count: 50 });
    expect(parseWave('ten')).toBeUndefined();
    expect(formatWave({ percent: 10 })).toBe('10%');
    expect(formatWave({ count: 5 })).toBe('5');
  });

  it('reads and writes windows', () => {
    expect(parseWindow('sat,sun@01:00-05:00')).toEqual({ days: ['sat', 'sun'], start: '01:00', end: '05:00' });
    expect(parseWindow('22:00-02:00')).toEqual({ start: '22:00', end: '02:00' });
    expect(parseWindow('noon')).toBeUndefined();
    expect(formatWindow({ days: ['mon'], start: '01:00', end: '02:00' })).toBe('mon@01:00-02:00');
    expect(formatWindow({ start: '01:00', end: '02:00' })).toBe('01:00-02:00');
  });
});

describe('version snapshot intervals', () => {
  it('aligns a time to the start of its interval', () => {
    expect(intervalStart(new Date('2026-12-01T10:59:59.999Z'), 3600).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(intervalStart(new Date('2026-12-01T11:00:00.000Z'), 3600).toISOString()).toBe('2026-12-01T11:00:00.000Z');
    expect(intervalStart(new Date('2026-12-01T11:00:07.500Z'), 5).toISOString()).toBe('2026-12-01T11:00:05.000Z');
  });
});
