import { EMPTY_POLICY_FORM, faultRate, formOf, pointLabel, policyInput, policyInputOf, snapshotClasses, versionSeries, waveRows } from '../../../src/console/app/lib/firmware';

const stored = {
  productClass: 'CP-8851-3PCC',
  target: 'sip88xx.12-0-3MPP-1',
  stages: ['sip88xx.12-0-2MPP-1'],
  floor: 'sip88xx.11-0-1MPP',
  allowDowngrade: true,
  windows: [{ days: ['sat', 'sun'], start: '01:00', end: '05:00' }, { start: '22:00', end: '02:00' }],
  utcOffsetMinutes: 60,
  rollout: { faultThreshold: 0.25, minResults: 3, soakSeconds: 600, waves: [{ percent: 10 }, { count: 50 }, { percent: 100 }] },
};

describe('the firmware policy form', () => {
  it('shows a stored policy and sends it back unchanged', () => {
    const form = formOf(stored);
    expect(form).toMatchObject({ stages: 'sip88xx.12-0-2MPP-1', windows: 'sat,sun@01:00-05:00\n22:00-02:00', waves: '10%, 50, 100%', faultThreshold: '25' });
    expect(policyInput(form)).toEqual({
      input: {
        target: stored.target,
        stages: stored.stages,
        floor: stored.floor,
        allowDowngrade: true,
        windows: stored.windows,
        utcOffsetMinutes: 60,
        waves: stored.rollout.waves,
        faultThreshold: 0.25,
        minResults: 3,
        soakSeconds: 600,
      },
    });
  });

  it('names each input whose text has the wrong shape, and sends nothing', () => {
    const result = policyInput({ ...EMPTY_POLICY_FORM, productClass: 'CP 8851', waves: '10%, lots', windows: 'mon@1am-5am', minResults: '2.5', faultThreshold: 'x' });
    expect(result).toEqual({
      errors: {
        fields: {
          productClass: expect.stringContaining('letters, digits'),
          target: expect.stringContaining('is required'),
          waves: '"lots" is not a percentage (10%) or a device count (50)',
          windows: '"mon@1am-5am" is not [days@]HH:MM-HH:MM (e.g. sat,sun@01:00-05:00)',
          minResults: 'must be a whole number, not "2.5"',
          faultThreshold: 'must be a number, not "x"',
        },
        general: ['Not saved: 6 fields need attention (marked below).'],
      },
    });
  });

  it('puts an API refusal on the input of the field it names', () => {
    expect(policyInputOf('waves.1.percent')).toBe('waves');
    expect(policyInputOf('stages.0')).toBe('stages');
    expect(policyInputOf('target')).toBe('target');
    expect(policyInputOf('rollout')).toBeUndefined();
  });
});

describe('rollout waves', () => {
  it('shows progress and fault rate, flagging a wave over the threshold', () => {
    const rows = waveRows({
      wave: 1,
      faultThreshold: 0.2,
      waves: [
        { percent: 10, size: 2, admitted: 2, done: 2, fault: 0, finishedAt: '2026-12-01T00:00:00Z' },
        { percent: 50, size: 8, admitted: 4, done: 1, fault: 3 },
        { percent: 100, size: null, admitted: 0, done: 0, fault: 0 },
      ],
    });
    expect(rows.map((r) => [r.label, r.size, r.state, r.faultRate, r.overThreshold, r.progress])).toEqual([
      ['up to 10 %', '2', 'finished', '0 %', false, 1],
      ['up to 50 %', '8', 'current', '75 %', true, 0.5],
      ['up to 100 %', 'all', 'waiting', '—', false, 0],
    ]);
    expect(faultRate({ done: 0, fault: 0 })).toBeUndefined();
  });
});

describe('versions over time', () => {
  const points = [
    { at: '2026-12-01T00:00:00Z', counts: [{ productClass: 'A', version: 'v1', count: 5 }, { productClass: 'B', version: 'v1', count: 2 }] },
    { at: '2026-12-01T01:00:00Z', counts: [{ productClass: 'A', version: 'v1', count: 3 }, { productClass: 'A', version: 'v2', count: 2 }, { productClass: 'B', version: '', count: 1 }] },
  ];

  it('makes one series per version, zero where a snapshot lacks it, most common now first', () => {
    expect(versionSeries(points, 'A')).toEqual({ at: [points[0].at, points[1].at], versions: [{ version: 'v1', counts: [5, 3] }, { version: 'v2', counts: [0, 2] }] });
    expect(versionSeries(points).versions).toEqual([
      { version: 'v1', counts: [7, 3] },
      { version: 'v2', counts: [0, 2] },
      { version: '(unknown)', counts: [0, 1] },
    ]);
    expect(snapshotClasses(points)).toEqual(['A', 'B']);
  });
});

describe('snapshot labels', () => {
  it('are as precise as the snapshots are frequent', () => {
    const at = '2026-12-01T23:21:42.912Z';
    expect(pointLabel(at, 2)).toBe('23:21:42');
    expect(pointLabel(at, 3600)).toBe('2026-12-01 23:21');
    expect(pointLabel(at, 86_400)).toBe('2026-12-01');
  });
});
