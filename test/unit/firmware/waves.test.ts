import { admittingWave, checkWaves, judgeWave, waveCaps, waveSize, type RolloutRules, type RolloutState } from '../../../src/firmware/waves';

const rules: RolloutRules = { waves: [{ percent: 10 }, { count: 100 }, { percent: 100 }], faultThreshold: 0.2, minResults: 5, soakSeconds: 60 };
const fresh = (over: Partial<RolloutState> = {}): RolloutState => ({ status: 'running', wave: 0, population: 500, progress: rules.waves.map(() => ({ admitted: 0, done: 0, fault: 0 })), ...over });

describe('wave arithmetic', () => {
  it('caps are cumulative; a 100 % wave has no cap', () => {
    expect(waveCaps(rules.waves, 500)).toEqual([50, 100, Infinity]);
    expect([0, 1, 2].map((i) => waveSize(rules.waves, 500, i))).toEqual([50, 50, Infinity]);
    expect(waveCaps([{ percent: 10 }], 7)).toEqual([1]);
    expect(waveCaps([{ count: 20 }, { percent: 1 }], 500)).toEqual([20, 20]);
  });

  it('refuses waves that are not cumulative or malformed', () => {
    expect(checkWaves(rules.waves)).toEqual([]);
    expect(checkWaves([{ percent: 50 }, { percent: 10 }])).toEqual([{ field: 'waves.1.percent', message: 'waves.1: waves are cumulative, so percentages cannot decrease' }]);
    expect(checkWaves([{ percent: 100 }, { count: 3 }])).toEqual([{ field: 'waves.0.percent', message: 'waves.0: a 100 % wave must be the last' }]);
    expect(checkWaves([{ percent: 0 }, { count: 1.5 }, {}])).toEqual([
      { field: 'waves.0.percent', message: 'waves.0.percent must be above 0 and at most 100' },
      { field: 'waves.1.count', message: 'waves.1.count must be a positive integer' },
      { field: 'waves.2', message: 'waves.2 needs exactly one of percent and count' },
    ]);
    expect(checkWaves([])).toEqual([{ field: 'waves', message: 'waves must list at least one wave' }]);
  });

  it('pauses once enough results show a fault rate above the threshold', () => {
    expect(judgeWave({ admitted: 50, done: 3, fault: 1 }, 50, rules)).toBe('continue');
    expect(judgeWave({ admitted: 50, done: 3, fault: 2 }, 50, rules)).toBe('pause');
    expect(judgeWave({ admitted: 50, done: 48, fault: 2 }, 50, rules)).toBe('finished');
    // A wave smaller than minResults is judged on all of it.
    expect(judgeWave({ admitted: 2, done: 0, fault: 1 }, 2, rules)).toBe('continue');
    expect(judgeWave({ admitted: 2, done: 0, fault: 2 }, 2, rules)).toBe('pause');
  });

  it('admits into the current wave until it is full, then into the next once it finished and soaked', () => {
    const now = new Date('2026-11-18T12:00:00Z');
    expect(admittingWave(fresh(), rules, now)).toBe(0);
    const full = fresh({ progress: [{ admitted: 50, done: 40, fault: 0 }, { admitted: 0, done: 0, fault: 0 }, { admitted: 0, done: 0, fault: 0 }] });
    expect(admittingWave(full, rules, now)).toBeUndefined();
    const finished = (at: Date) => fresh({ progress: [{ admitted: 50, done: 50, fault: 0, finishedAt: at }, { admitted: 0, done: 0, fault: 0 }, { admitted: 0, done: 0, fault: 0 }] });
    expect(admittingWave(finished(new Date(now.getTime() - 30_000)), rules, now)).toBeUndefined();
    expect(admittingWave(finished(new Date(now.getTime() - 60_000)), rules, now)).toBe(1);
    expect(admittingWave(fresh({ status: 'paused' }), rules, now)).toBeUndefined();
    expect(admittingWave(fresh({ wave: 2 }), rules, now)).toBe(2);
  });
});
