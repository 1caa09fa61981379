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

describe('mergeGroups and mergedSet against the field-by-field definition', () => {
  /** What MongoDB does with the `$set`/`$unset`, one field after the other. */
  function applied(stored: Record<string, unknown>, update: { set: Record<string, unknown>; unset: string[] }) {
    const doc = structuredClone(stored);
    for (const [field, value] of Object.entries(update.set)) {
      const path = field.split('.');
      let node = doc as Record<string, unknown>;
      for (const seg of path.slice(0, -1)) node = (node[seg] && typeof node[seg] === 'object' ? node[seg] : (node[seg] = {})) as Record<string, unknown>;
      node[path[path.length - 1]] = value;
    }
    for (const field of update.unset) {
      const path = field.split('.');
      let node: unknown = doc;
      for (const seg of path.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[seg];
      if (node && typeof node === 'object') delete (node as Record<string, unknown>)[path[path.length - 1]];
    }
    return doc;
  }

  it('writes, for a whole data model, the tree MongoDB would store', () => {
    // 40 lines of 30 parameters, 3 attributes each, in subtrees of different depths.
    const names = Array.from({ length: 1200 }, (_, i) => (i % 5 ? `Device.Services.Voice.${Math.floor(i / 30)}.Line.P${i}` : `Device.Info${i % 7}.P${i}`));
    const update = { set: values(names), unset: ['params.Device.Services.Voice.1.Line.Gone', 'params.Device.Old'] };
    const stored = { params: { Device: { Info1: { P5: { _w: false, _v: 'x' } }, Old: { A: { _v: 1 } }, Services: { Voice: { 1: { Line: { P31: { _w: true, _n: 2 }, Gone: { _v: 0 } } } } } } } };
    const groups = mergeGroups(update);
    expect(groups).toBeDefined();
    expect(groups!.length).toBeLessThanOrEqual(MAX_GROUPS);
    const written = mergedSet(structuredClone(stored), update, groups!);
    const result = applied(structuredClone(stored), { set: written, unset: [] });
    expect(result).toEqual(applied(stored, update));
  });
});
