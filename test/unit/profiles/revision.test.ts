import { interimKey, isRevisionKey, KEY_LENGTH, revisionKey } from '../../../src/profiles/revision';

const base = { profiles: [{ name: 'a', revision: 1 }, { name: 'b', revision: 4 }], own: 'o1', variables: 'v1', softwareVersion: 'sip88xx.12-0-1MPP-2', mac: '00562b0a0b0c' };

describe('revisionKey', () => {
  it('fits a ParameterKey (at most 32 characters) and does not depend on the order profiles matched in', () => {
    const key = revisionKey(base);
    expect(key).toHaveLength(KEY_LENGTH);
    expect(KEY_LENGTH).toBeLessThanOrEqual(32);
    expect(isRevisionKey(key)).toBe(true);
    expect(revisionKey({ ...base, profiles: [...base.profiles].reverse() })).toBe(key);
  });

  it('changes with every input the desired state depends on', () => {
    const keys = new Set([
      revisionKey(base),
      revisionKey({ ...base, profiles: [{ name: 'a', revision: 2 }, { name: 'b', revision: 4 }] }),
      revisionKey({ ...base, profiles: [{ name: 'a', revision: 1 }] }),
      revisionKey({ ...base, own: 'o2' }),
      revisionKey({ ...base, own: undefined }),
      revisionKey({ ...base, variables: 'v2' }),
      revisionKey({ ...base, softwareVersion: 'sip88xx.12-0-2MPP-1' }),
      revisionKey({ ...base, mac: '00562b0a0b0d' }),
    ]);
    expect(keys.size).toBe(8);
  });

  it('interim keys written mid-plan never equal a revision key', () => {
    const key = revisionKey(base);
    expect(interimKey(key)).not.toBe(key);
    expect(isRevisionKey(interimKey(key))).toBe(false);
    expect(interimKey(key).length).toBeLessThanOrEqual(32);
  });
});
