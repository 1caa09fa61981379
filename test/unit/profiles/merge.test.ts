import { mergeDesired, type MatchedProfile } from '../../../src/profiles/merge';

const noCheck = () => undefined;
const profile = (name: string, precedence: number, parameters: MatchedProfile['parameters']): MatchedProfile => ({ name, revision: 1, precedence, parameters });

describe('mergeDesired', () => {
  it('takes each value from the highest precedence; the device beats every profile; lower values stay visible', () => {
    const merged = mergeDesired(
      [profile('base', 1, [{ name: 'A', value: 'base' }, { name: 'B', value: 'base' }]), profile('site', 5, [{ name: 'A', value: 'site' }])],
      [{ name: 'B', value: 'device' }],
      {},
      noCheck,
    );
    expect(merged.conflicts).toEqual([]);
    expect(merged.entries).toEqual([
      { name: 'A', value: 'site', source: { kind: 'profile', profile: 'site', revision: 1, precedence: 5 }, shadowed: [{ source: { kind: 'profile', profile: 'base', revision: 1, precedence: 1 }, value: 'base' }] },
      { name: 'B', value: 'device', source: { kind: 'device' }, shadowed: [{ source: { kind: 'profile', profile: 'base', revision: 1, precedence: 1 }, value: 'base' }] },
    ]);
  });

  it('withholds and reports a parameter two profiles of one precedence disagree on; agreement is no conflict', () => {
    const merged = mergeDesired(
      [profile('left', 3, [{ name: 'A', value: 'L' }, { name: 'C', value: 'same' }]), profile('right', 3, [{ name: 'A', value: 'R' }, { name: 'C', value: 'same' }]), profile('low', 1, [{ name: 'A', value: 'low' }])],
      undefined,
      {},
      noCheck,
    );
    expect(merged.entries.map((e) => e.name)).toEqual(['C']);
    expect(merged.conflicts).toEqual([{ name: 'A', precedence: 3, candidates: [{ profile: 'left', revision: 1, value: 'L' }, { profile: 'right', revision: 1, value: 'R' }] }]);
    // A different ua is a disagreement too.
    const ua = mergeDesired([profile('x', 1, [{ name: 'A', value: 'v', ua: 'na' }]), profile('y', 1, [{ name: 'A', value: 'v' }])], undefined, {}, noCheck);
    expect(ua.conflicts).toHaveLength(1);
  });

  it('expands variables, and withholds values naming a missing variable or invalid once expanded', () => {
    const check = (name: string, value: string) => (name === 'Port' && !/^\d+$/.test(value) ? `${name}: not a port` : undefined);
    const merged = mergeDesired(
      [profile('p', 1, [{ name: 'User', value: '${ext}' }, { name: 'Name', value: 'Desk ${ext} ${room}' }, { name: 'Port', value: '${port}' }, { name: 'Keep', value: '', selfClosing: true }])],
      undefined,
      { ext: '4001', port: 'abc' },
      check,
    );
    expect(merged.entries).toEqual([
      { name: 'User', value: '4001', source: expect.anything(), variables: ['ext'] },
      { name: 'Keep', value: '', selfClosing: true, source: expect.anything() },
    ]);
    expect(merged.withheld).toEqual([
      { name: 'Name', source: expect.anything(), reason: 'missing-variable', message: 'Name: the device has no value for ${room}' },
      { name: 'Port', source: expect.anything(), reason: 'invalid', message: 'Port: not a port' },
    ]);
  });
});
