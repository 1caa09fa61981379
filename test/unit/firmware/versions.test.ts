import { checkUpgradePath, nextHop } from '../../../src/firmware/versions';

const path = { target: 'sip88xx.12-0-3MPP-1', stages: ['sip88xx.11-3-1MPP-2', 'sip88xx.12-0-1MPP-2'], floor: 'sip88xx.11-0-1MPP', allowDowngrade: false };

describe('nextHop', () => {
  it('passes through every stage between the device and the target, in order', () => {
    expect(nextHop('sip88xx.11-0-1MPP-1', path)).toEqual({ install: 'sip88xx.11-3-1MPP-2' });
    expect(nextHop('sip88xx.11-3-1MPP-2', path)).toEqual({ install: 'sip88xx.12-0-1MPP-2' });
    expect(nextHop('sip88xx.12-0-1MPP-2', path)).toEqual({ install: 'sip88xx.12-0-3MPP-1' });
    expect(nextHop('sip88xx.12-0-2MPP-1', path)).toEqual({ install: 'sip88xx.12-0-3MPP-1' });
  });

  it('leaves devices at or above the target alone unless downgrades are allowed', () => {
    expect(nextHop('sip88xx.12-0-3MPP-1', path)).toEqual({ none: 'at-target' });
    expect(nextHop('sip88xx.12-5-1MPP-1', path)).toEqual({ none: 'above-target' });
    expect(nextHop('sip88xx.12-5-1MPP-1', { ...path, allowDowngrade: true })).toEqual({ install: 'sip88xx.12-0-3MPP-1' });
    expect(nextHop(undefined, path)).toEqual({ none: 'unknown-version' });
    expect(nextHop('sip78xx.11-0-1MPP', path)).toEqual({ none: 'not-comparable' });
  });
});

describe('checkUpgradePath', () => {
  it('refuses stages not below the target, loads below the floor, and versions that do not parse', () => {
    expect(checkUpgradePath(path)).toEqual([]);
    expect(checkUpgradePath({ ...path, stages: ['sip88xx.12-1-1MPP'] })).toEqual([{ field: 'stages.0', message: 'stage sip88xx.12-1-1MPP is not below the target sip88xx.12-0-3MPP-1' }]);
    expect(checkUpgradePath({ ...path, floor: 'sip88xx.12-0-0MPP' })).toEqual([{ field: 'stages.0', message: 'sip88xx.11-3-1MPP-2 is below the downgrade floor sip88xx.12-0-0MPP' }]);
    expect(checkUpgradePath({ ...path, target: 'latest' })).toEqual([{ field: 'target', message: '"latest" is not a firmware version like sip88xx.12-0-1MPP' }]);
    expect(checkUpgradePath({ ...path, stages: ['sip78xx.11-0-1MPP'] })).toEqual([
      { field: 'stages.0', message: 'stage sip78xx.11-0-1MPP and target sip88xx.12-0-3MPP-1 are of different series' },
      { field: 'stages.0', message: 'sip78xx.11-0-1MPP and the floor sip88xx.11-0-1MPP are of different series' },
    ]);
  });
});
