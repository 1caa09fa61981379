import { potentialConflicts } from '../../../src/profiles/conflicts';

describe('potentialConflicts', () => {
  it('reports same-precedence profiles that can meet on one device and disagree', () => {
    const profiles = [
      { name: 'a', precedence: 1, match: { productClasses: ['X'] }, parameters: [{ name: 'P', value: '1' }, { name: 'Q', value: 'same' }] },
      { name: 'b', precedence: 1, match: { tags: ['t'] }, parameters: [{ name: 'P', value: '2' }, { name: 'Q', value: 'same' }] },
      { name: 'c', precedence: 1, match: { productClasses: ['Y'] }, parameters: [{ name: 'P', value: '3' }] },
      { name: 'd', precedence: 2, match: {}, parameters: [{ name: 'P', value: '4' }] },
    ];
    expect(potentialConflicts(profiles)).toEqual([
      { parameter: 'P', precedence: 1, profiles: ['a', 'b'] },
      { parameter: 'P', precedence: 1, profiles: ['b', 'c'] },
    ]);
    expect(potentialConflicts(profiles, 'c')).toEqual([{ parameter: 'P', precedence: 1, profiles: ['b', 'c'] }]);
  });
});
