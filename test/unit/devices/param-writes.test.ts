import { MAX_DIRECT_FIELDS, MAX_GROUPS, mergedSet, mergeGroups } from '../../../src/devices/param-writes';

const ts = new Date('2026-03-01T10:00:00Z');

function values(names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.flatMap((n) => [[`params.${n}._v`, n], [`params.${n}._ts`, ts]]));
}

describe('mergeGroups', () => {
  it('leaves small updates as they are', () => {
    expect(mergeGroups({ set: values(['Device.A.B']), unset: [] })).toBeUndefined();
    expect(mergeGroups({ set: { params: {} }, unset: [] })).toBeUndefined();
  });

  it('merges a large update into the deepest few subtrees it touches', () => {
    const names = Array.from({ length: MAX_DIRECT_FIELDS }, (_, i) => `Device.X.${i % 3}.P${i}`);
    expect(mergeGroups({ set: values(names), unset: [] })?.sort()).toEqual(['params.Device.X.0', 'params.Device.X.1', 'params.Device.X.2']);
  });

  it('goes up a level while there are too many subtrees, and never names one inside another', () => {
    const wide = Array.from({ length: MAX_GROUPS * 4 }, (_, i) => `Device.O${i}.P.Q`);
    expect(mergeGroups({ set: values(wide), unset: [] })).toEqual(['params.Device']);
    const flat = Array.from({ length: MAX_DIRECT_FIELDS * 2 }, (_, i) => `R${i}.P`);
    expect(mergeGroups({ set: values(flat), unset: [] })).toEqual(['params']);
    const deep = Array.from({ length: MAX_DIRECT_FIELDS }, (_, i) => `Device.X.P${i}`);
    expect(mergeGroups({ set: values(deep), unset: [] })).toEqual(['params.Device.X']);
    expect(mergeGroups({ set: values(deep), unset: ['params.Device.Y'] })).toEqual(['params.Device']);
  });
});

describe('mergedSet', () => {
  it('applies the update to what is stored, as MongoDB would, keeping other attributes', () => {
    const stored = { params: { Device: { X: { A: { _v: 'old', _w: true }, Gone: { _v: 1 }, Kept: { _v: 2 } } } } };
    const update = { set: { 'params.Device.X.A._v': 'new', 'params.Device.X.New.Leaf._v': 3 }, unset: ['params.Device.X.Gone'] };
    expect(mergedSet(stored, update, ['params.Device.X'])).toEqual({
      'params.Device.X': { A: { _v: 'new', _w: true }, Kept: { _v: 2 }, New: { Leaf: { _v: 3 } } },
    });
  });

  it('builds the subtrees of a device with nothing stored yet', () => {
    expect(mergedSet(null, { set: { 'params.Device.X.A._v': 1 }, unset: [] }, ['params.Device.X'])).toEqual({ 'params.Device.X': { A: { _v: 1 } } });
  });
});
