import { emptyForm, finishingRate, formField, formFromQuery, formTarget, isActive, jobFigures, jobRequest, newJobLink, parseWaves, unreleasedNote, wavesReleased } from '../../../src/console/app/lib/jobs';

const counts = { pending: 0, sent: 0, done: 0, fault: 0, expired: 0, cancelled: 0 };

describe('console job figures', () => {
  it('counts final tasks against devices times RPCs, and faults with expiries', () => {
    const job = { status: 'running', devices: 4, released: 3, rpcs: [{}, {}], tasks: { ...counts, pending: 2, sent: 1, done: 3, fault: 1, expired: 1 } };
    expect(jobFigures(job)).toEqual({ released: 3, running: 1, done: 3, faulted: 2, percent: 62, finished: 5 });
    expect(jobFigures({ ...job, devices: null }).percent).toBe(0);
    // a done job over no device is complete, not stuck at 0 %
    expect(jobFigures({ ...job, status: 'done', devices: 0, tasks: counts }).percent).toBe(100);
    expect(jobFigures({ ...job, tasks: { ...counts, done: 8 } }).percent).toBe(100);
  });

  it('says which devices the results list cannot show yet, or never will, and how they count', () => {
    const job = { status: 'running', devices: 4, released: 3, rpcs: [{}], tasks: counts };
    expect(unreleasedNote(job)).toBe('1 device not released yet: its results appear here once released.');
    expect(unreleasedNote({ ...job, released: 1, status: 'paused', expiresAt: '2999-01-01T00:00:00Z' })).toBe('3 devices not released yet: their results appear here once released.');
    expect(unreleasedNote({ ...job, status: 'cancelled' })).toBe('1 device never released (the job was cancelled first): its tasks count as cancelled.');
    expect(unreleasedNote({ ...job, released: 2, expiresAt: '2025-07-01T00:00:00Z' }, Date.parse('2025-07-02T00:00:00Z'))).toBe('2 devices never released (the job expired first): their tasks count as expired.');
    expect(unreleasedNote({ ...job, released: 4 })).toBeNull();
    expect(unreleasedNote({ ...job, devices: null, released: 0 })).toBeNull();
  });

  it('knows which jobs still move', () => {
    expect(['planning', 'running', 'cancelling'].every(isActive)).toBe(true);
    expect(['paused', 'done', 'cancelled'].some(isActive)).toBe(false);
  });

  it('measures tasks finished per second between two readings', () => {
    expect(finishingRate(undefined, { at: 1000, finished: 5 })).toBeNull();
    expect(finishingRate({ at: 1000, finished: 5 }, { at: 1000, finished: 9 })).toBeNull();
    expect(finishingRate({ at: 1000, finished: 5 }, { at: 3000, finished: 9 })).toBe(2);
    expect(finishingRate({ at: 1000, finished: 9 }, { at: 3000, finished: 5 })).toBe(0);
  });
});

describe('console job form', () => {
  it('opens with the target the devices page links with', () => {
    expect(newJobLink(['a b', 'c'], 'tag:x')).toBe('/jobs/new?ids=a%20b,c');
    expect(newJobLink([], 'tag:lobby')).toBe('/jobs/new?tag=lobby');
    expect(newJobLink([], 'tag:lobby class:CP-8851')).toBe('/jobs/new?q=tag%3Alobby%20class%3ACP-8851');
    expect(newJobLink([], '  ')).toBe('/jobs/new');
    expect(formFromQuery('ids=a%20b,c')).toMatchObject({ targetKind: 'deviceIds', deviceIds: 'a b\nc' });
    expect(formFromQuery('tag=lobby')).toMatchObject({ targetKind: 'tag', tag: 'lobby' });
    expect(formFromQuery('q=tag%3Alobby')).toMatchObject({ targetKind: 'filter', search: 'tag:lobby' });
    expect(formFromQuery('')).toEqual(emptyForm());
  });

  it('turns the target into the API\'s, refusing free text as a filter', () => {
    const form = emptyForm();
    expect(formTarget({ ...form, targetKind: 'deviceIds', deviceIds: 'a\nb, a  c' })).toEqual({ target: { deviceIds: ['a', 'b', 'c'] } });
    expect(formTarget({ ...form, targetKind: 'tag', tag: ' lobby ' })).toEqual({ target: { tag: 'lobby' } });
    expect(formTarget({ ...form, targetKind: 'filter', search: 'tag:a tag:b class:CP-8851-3PCC version:12.0.1' })).toEqual({ target: { filter: { tags: ['a', 'b'], productClass: 'CP-8851-3PCC', softwareVersion: '12.0.1' } } });
    expect(formTarget({ ...form, targetKind: 'filter', search: 'lobby class:X' })).toEqual({ errors: { target: expect.stringContaining('"lobby" is free text') } });
  });

  it('builds the RPC sequence, and sends the rate as typed for the API to judge', () => {
    const form = {
      ...emptyForm(),
      name: ' push ',
      tag: 'lobby',
      steps: [
        { method: 'GetParameterValues' as const, names: 'A.B, A.C', value: '', type: 'xsd:string' as const },
        { method: 'SetParameterValues' as const, names: 'A.D', value: '1800', type: 'xsd:unsignedInt' as const },
        { method: 'SetParameterValues' as const, names: 'A.E', value: 'true', type: 'xsd:boolean' as const },
        { method: 'SetParameterValues' as const, names: 'A.F', value: '12x', type: 'xsd:int' as const },
        { method: 'Reboot' as const, names: 'ignored', value: '', type: 'xsd:string' as const },
      ],
      rate: '0',
    };
    expect(jobRequest(form)).toEqual({
      body: {
        name: 'push',
        rpcs: [
          { method: 'GetParameterValues', parameterNames: ['A.B', 'A.C'] },
          { method: 'SetParameterValues', parameterList: [{ name: 'A.D', value: 1800, type: 'xsd:unsignedInt' }] },
          { method: 'SetParameterValues', parameterList: [{ name: 'A.E', value: true, type: 'xsd:boolean' }] },
          { method: 'SetParameterValues', parameterList: [{ name: 'A.F', value: '12x', type: 'xsd:int' }] },
          { method: 'Reboot' },
        ],
        target: { tag: 'lobby' },
        rate: 0,
        connectionRequest: true,
        paused: false,
      },
    });
    expect((jobRequest({ ...form, waves: '10%, 25' }) as { body: { waves: unknown } }).body.waves).toEqual([{ percent: 10 }, { count: 25 }]);
    expect(jobRequest({ ...form, waves: '10%, lots' })).toEqual({ errors: { waves: expect.stringContaining('"lots"') } });
    expect((jobRequest({ ...form, rate: 'fast' }) as { body: { rate: unknown } }).body.rate).toBe('fast');
    expect('rate' in (jobRequest({ ...form, rate: ' ' }) as { body: object }).body).toBe(false);
  });

  it('reads waves as cumulative percentages or counts, and says how many are out', () => {
    expect(parseWaves(' 1.5%  50 %, 3')).toEqual({ waves: [{ percent: 1.5 }, { percent: 50 }, { count: 3 }] });
    expect(parseWaves('')).toEqual({ waves: [] });
    expect(parseWaves('-5')).toEqual({ errors: { waves: expect.any(String) } });
    expect(wavesReleased([1, 3], 0, 4)).toEqual({ released: 0, of: 3 });
    expect(wavesReleased([1, 3], 1, 4)).toEqual({ released: 1, of: 3 });
    expect(wavesReleased([1, 3], 3, 4)).toEqual({ released: 2, of: 3 });
    expect(wavesReleased([1, 3], 4, 4)).toEqual({ released: 3, of: 3 });
  });

  it('puts each API refusal on the form field it names', () => {
    expect(formField('rate')).toBe('rate');
    expect(formField('rpcs.1.parameterList.0.value')).toBe('rpcs.1');
    expect(formField('rpcs')).toBe('rpcs');
    expect(formField('target.deviceIds.3')).toBe('target');
    expect(formField('target.filter.params')).toBe('target');
    expect(formField('waves.1.percent')).toBe('waves');
    expect(formField('priority')).toBeUndefined();
  });
});
