import { restAfter, rested } from '../../../src/workers/pacing';

it('rests ten times as long as the work took, and at least the interval', () => {
  expect(restAfter(10, 30_000)).toBe(30_000);
  expect(restAfter(12_000, 30_000)).toBe(120_000);
});

it('skips scheduled runs until ten times the last run\'s duration has passed', async () => {
  let now = 0;
  let runs = 0;
  // a run that takes 5 s on the test's clock, scheduled every 30 s
  const sweep = rested(
    async () => {
      runs += 1;
      now += 5_000;
      return runs;
    },
    () => now,
  );
  expect(await sweep()).toBe(1);
  now += 30_000;
  expect(await sweep()).toBeUndefined();
  now += 14_000;
  expect(await sweep()).toBeUndefined();
  now += 1_000;
  expect(await sweep()).toBe(2);
});
