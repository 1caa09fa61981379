import fc from 'fast-check';
import { checkSelector, matches, mayOverlap, SelectorIndex } from '../../../src/profiles/selector';
import type { DeviceFacts, Selector } from '../../../src/profiles/types';

const phone: DeviceFacts = {
  deviceId: '00562B-CP%2D8851%2D3PCC-FCH1234',
  oui: '00562B',
  productClass: 'CP-8851-3PCC',
  serialNumber: 'FCH1234',
  softwareVersion: 'sip88xx.12-0-1MPP-2',
  mac: '00562b0a0b0c',
  tags: ['lobby', 'floor-3'],
};

describe('checkSelector', () => {
  it('normalises MACs and OUIs and de-duplicates lists', () => {
    expect(checkSelector({ macs: ['00:56:2B:0A:0B:0C', '00562b0a0b0c'], ouis: ['00562b'] })).toEqual({ selector: { macs: ['00562b0a0b0c'], ouis: ['00562B'] }, problems: [] });
  });

  it('names every bad field', () => {
    const { problems } = checkSelector({ productClasses: [], macs: ['not-a-mac'], softwareVersion: { min: '12.0', below: 'sip88xx.11-0-1MPP' } } as Selector);
    expect(problems).toEqual([
      'match.productClasses must be a non-empty list',
      'match.macs: "not-a-mac" is not valid',
      'match.softwareVersion.min: "12.0" is not a firmware version like sip88xx.12-0-1MPP',
    ]);
    expect(checkSelector({ softwareVersion: { min: 'sip88xx.12-0-1MPP', below: 'sip88xx.11-0-1MPP' } }).problems).toEqual(['match.softwareVersion: min must be below `below`']);
    expect(checkSelector({ softwareVersion: {} }).problems).toEqual(['match.softwareVersion needs min, below or both']);
  });
});

describe('matches', () => {
  it('ANDs the dimensions; a list is any-of, tags are all-of', () => {
    expect(matches({}, phone)).toBe(true);
    expect(matches({ productClasses: ['CP-7841-3PCC', 'CP-8851-3PCC'], ouis: ['00562B'] }, phone)).toBe(true);
    expect(matches({ productClasses: ['CP-8851-3PCC'], ouis: ['AABBCC'] }, phone)).toBe(false);
    expect(matches({ tags: ['lobby', 'floor-3'] }, phone)).toBe(true);
    expect(matches({ tags: ['lobby', 'floor-4'] }, phone)).toBe(false);
    expect(matches({ macs: ['00562b0a0b0c'] }, { ...phone, mac: undefined })).toBe(false);
  });

  it('compares software versions as MPP loads: min inclusive, below exclusive, other series never', () => {
    expect(matches({ softwareVersion: { min: 'sip88xx.12-0-1MPP-2' } }, phone)).toBe(true);
    expect(matches({ softwareVersion: { below: 'sip88xx.12-0-1MPP-2' } }, phone)).toBe(false);
    expect(matches({ softwareVersion: { min: 'sip88xx.11-3-1MPP', below: 'sip88xx.12-0-2MPP' } }, phone)).toBe(true);
    expect(matches({ softwareVersion: { min: 'sip78xx.11-0-1MPP' } }, phone)).toBe(false);
    expect(matches({ softwareVersion: { min: 'sip88xx.11-0-1MPP' } }, { ...phone, softwareVersion: undefined })).toBe(false);
  });
});

describe('SelectorIndex', () => {
  it('gives an Inform only the profiles that can match it, not all', () => {
    const profiles: Array<{ name: string; match: Selector }> = [];
    for (let i = 0; i < 200; i++) profiles.push({ name: `p${i}`, match: { productClasses: [`CP-${7000 + i}-3PCC`] } });
    profiles.push({ name: 'pc', match: { productClasses: ['CP-8851-3PCC'] } }, { name: 'tag', match: { tags: ['lobby'] } }, { name: 'me', match: { serialNumbers: ['FCH1234'], tags: ['nowhere'] } });
    const index = new SelectorIndex(profiles);
    expect(index.candidates(phone).map((p) => p.name).sort()).toEqual(['me', 'pc', 'tag']);
    expect(index.match(phone).map((p) => p.name).sort()).toEqual(['pc', 'tag']);
  });

  it('matches exactly what a scan of every selector matches', () => {
    const values = { pc: ['A', 'B', 'C'], oui: ['000001', '000002'], tag: ['t1', 't2', 't3'], serial: ['S1', 'S2'] };
    const sub = <T>(xs: T[]) => fc.option(fc.uniqueArray(fc.constantFrom(...xs), { minLength: 1 }), { nil: undefined });
    const selector = fc.record({ productClasses: sub(values.pc), ouis: sub(values.oui), tags: sub(values.tag), serialNumbers: sub(values.serial) }).map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as Selector);
    const device = fc.record({ productClass: fc.constantFrom(...values.pc), oui: fc.constantFrom(...values.oui), tags: fc.subarray(values.tag), serialNumber: fc.constantFrom(...values.serial) });
    fc.assert(
      fc.property(fc.array(selector, { maxLength: 30 }), device, (selectors, d) => {
        const facts: DeviceFacts = { deviceId: 'x', ...d };
        const items = selectors.map((match, i) => ({ name: i, match }));
        const expected = items.filter((p) => matches(p.match, facts)).map((p) => p.name);
        expect(new SelectorIndex(items).match(facts).map((p) => p.name).sort((a, b) => a - b)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('mayOverlap', () => {
  it('is false only when some dimension both constrain cannot agree', () => {
    expect(mayOverlap({ productClasses: ['A'] }, { productClasses: ['B'] })).toBe(false);
    expect(mayOverlap({ productClasses: ['A', 'B'] }, { productClasses: ['B'] })).toBe(true);
    expect(mayOverlap({ productClasses: ['A'] }, { tags: ['x'] })).toBe(true);
    expect(mayOverlap({ tags: ['x'] }, { tags: ['y'] })).toBe(true);
    expect(mayOverlap({ softwareVersion: { below: 'sip88xx.12-0-1MPP' } }, { softwareVersion: { min: 'sip88xx.12-0-1MPP' } })).toBe(false);
    expect(mayOverlap({ softwareVersion: { below: 'sip88xx.12-0-2MPP' } }, { softwareVersion: { min: 'sip88xx.12-0-1MPP' } })).toBe(true);
    expect(mayOverlap({ softwareVersion: { min: 'sip78xx.12-0-1MPP' } }, { softwareVersion: { min: 'sip88xx.12-0-1MPP' } })).toBe(false);
  });
});
