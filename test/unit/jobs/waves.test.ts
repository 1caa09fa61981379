import { releaseStop, waveEnds } from '../../../src/jobs/waves';

describe('job waves', () => {
  it('turns cumulative waves into the release positions the job pauses at', () => {
    expect(waveEnds([{ percent: 10 }, { count: 50 }, { percent: 100 }], 200)).toEqual([20, 50]);
    // a percentage rounds up, so a wave never admits nobody
    expect(waveEnds([{ percent: 1 }], 30)).toEqual([1]);
    // waves past the plan, repeated or at its end add no pause
    expect(waveEnds([{ count: 2 }, { count: 2 }, { count: 5 }, { count: 9 }], 5)).toEqual([2]);
    expect(waveEnds([{ count: 5 }, { count: 3 }], 10)).toEqual([5]);
    expect(waveEnds(undefined, 10)).toEqual([]);
    expect(waveEnds([{ percent: 50 }], 0)).toEqual([]);
  });

  it('stops a release at the next wave end, else at the last device', () => {
    const ends = [20, 50];
    expect(releaseStop(ends, 0, 200)).toBe(20);
    expect(releaseStop(ends, 19, 200)).toBe(20);
    expect(releaseStop(ends, 20, 200)).toBe(50);
    expect(releaseStop(ends, 50, 200)).toBe(200);
    expect(releaseStop([], 0, 7)).toBe(7);
  });
});
