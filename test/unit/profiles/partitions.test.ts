import { potentialConflicts } from '../../../src/profiles/conflicts';
import { mergeDesired } from '../../../src/profiles/merge';
import { partitionFile, withPartitionRules, fileOfRule } from '../../../src/provisioning/render/partitions';
import { DEFAULT_DELIVERY, type DesiredConfig } from '../../../src/provisioning/stores/desired';

/** S22: the phone applies Profile_Rule, then _B.._D; the last file processed wins (001 L778-779). */
const ok = () => undefined;
const common = { name: 'common', revision: 1, precedence: 10, parameters: [{ name: 'GPP_B', value: 'XYZ' }, { name: 'Station_Name', value: 'Lobby' }] };
const account = { name: 'account', revision: 1, precedence: 10, partition: 'B' as const, parameters: [{ name: 'GPP_B', value: 'ABCD' }] };

describe('merging partitioned profiles', () => {
  it('gives a tie of precedence to the later partition, not a conflict', () => {
    const merged = mergeDesired([account, common], undefined, {}, ok);
    expect(merged.conflicts).toEqual([]);
    expect(merged.entries.find((e) => e.name === 'GPP_B')).toMatchObject({ value: 'ABCD', partition: 'B', shadowed: [{ value: 'XYZ' }] });
    expect(merged.entries.find((e) => e.name === 'Station_Name')?.partition).toBeUndefined();
  });

  it('keeps precedence first: a higher profile of an earlier partition wins', () => {
    const merged = mergeDesired([account, { ...common, precedence: 11 }], undefined, {}, ok);
    expect(merged.entries.find((e) => e.name === 'GPP_B')).toMatchObject({ value: 'XYZ' });
  });

  it('still reports two profiles of one precedence and one partition as a conflict', () => {
    const merged = mergeDesired([account, { ...common, partition: 'B' as const }], undefined, {}, ok);
    expect(merged.conflicts.map((c) => c.name)).toEqual(['GPP_B']);
    const selectorsOverlap = { match: {} };
    expect(potentialConflicts([{ ...common, ...selectorsOverlap }, { ...account, ...selectorsOverlap }])).toEqual([]);
    expect(potentialConflicts([{ ...common, ...selectorsOverlap, partition: 'B' }, { ...account, ...selectorsOverlap }])).toHaveLength(1);
  });
});

describe('the files of a partitioned desired state', () => {
  const desired: DesiredConfig = {
    entries: [{ name: 'Station_Name', value: 'Lobby' }, { name: 'GPP_B', value: 'ABCD' }, { name: 'GPP_C', value: 'cee' }],
    delivery: DEFAULT_DELIVERY,
    partitions: { GPP_B: 'B', GPP_C: 'C' },
    revision: 'r1',
    updatedAt: new Date(0),
  };

  it('renders a rule for each used partition the operator left unset, keeping the operator own', () => {
    const own = { ...desired, entries: [...desired.entries, { name: 'Profile_Rule_C', value: 'tftp://10.0.0.1/c.cfg' }] };
    const withRules = withPartitionRules(own, 'http://acs:7567');
    expect(withRules.entries.filter((e) => e.name.startsWith('Profile_Rule'))).toEqual([
      { name: 'Profile_Rule_C', value: 'tftp://10.0.0.1/c.cfg' },
      { name: 'Profile_Rule_B', value: 'http://acs:7567/cisco/partition-b/$MA.xml' },
    ]);
    expect(withPartitionRules({ ...desired, partitions: undefined }, 'http://acs:7567').entries).toHaveLength(3);
  });

  it('gives each rule its own entries, and an unpartitioned device one file on every path', () => {
    expect(partitionFile(desired, fileOfRule('Profile_Rule')).entries.map((e) => e.name)).toEqual(['Station_Name']);
    expect(partitionFile(desired, fileOfRule('Profile_Rule_B'))).toMatchObject({ entries: [{ name: 'GPP_B' }], revision: 'r1/B' });
    expect(partitionFile(desired, fileOfRule('Profile_Rule_D')).entries).toEqual([]);
    expect(partitionFile(desired, undefined)).toBe(desired);
    const plain = { ...desired, partitions: undefined };
    expect(partitionFile(plain, 'B')).toBe(plain);
  });
});
