import { andId, deviceQuery, paramsQuery, unindexedFields } from '../../../src/devices/filter';
import type { DeviceDoc } from '../../../src/devices/types';

/** Device filters: what runs on an index, what would read every device. */
it('turns indexed conditions into a query on devices', () => {
  expect(
    deviceQuery({ ids: ['A-B-C', 'A-B-D'], productClass: 'CP-8851-3PCC', softwareVersion: 'sip88xx.12', tags: ['x', 'y'], lastInformAfter: '2025-01-01T00:00:00Z', lastInformBefore: '2025-02-01T00:00:00Z' }),
  ).toEqual({
    _id: { $in: ['A-B-C', 'A-B-D'] },
    'deviceId.productClass': 'CP-8851-3PCC',
    softwareVersion: 'sip88xx.12',
    tags: { $all: ['x', 'y'] },
    lastInformAt: { $gte: new Date('2025-01-01T00:00:00Z'), $lt: new Date('2025-02-01T00:00:00Z') },
  });
  expect(deviceQuery({ ids: ['A-B-C'], tags: ['x'] })).toEqual({ _id: 'A-B-C', tags: 'x' });
  expect(deviceQuery({})).toEqual({});
});

it('puts parameter conditions on device_params; a text value also matches the number or boolean it spells', () => {
  expect(paramsQuery({ productClass: 'x' })).toBeUndefined();
  expect(paramsQuery({ params: { 'Device.ManagementServer.PeriodicInformInterval': '60', 'Device.X.Enable': 'true', 'Device.DeviceInfo.ModelName': 'CP-8851', 'Device.X.N': 7 } })).toEqual({
    'params.Device.ManagementServer.PeriodicInformInterval._v': { $in: ['60', 60] },
    'params.Device.X.Enable._v': { $in: ['true', true] },
    'params.Device.DeviceInfo.ModelName._v': 'CP-8851',
    'params.Device.X.N._v': 7,
  });
});

it('names the conditions that have no index', () => {
  expect(unindexedFields({ productClass: 'a', tags: ['b'], lastInformAfter: '2025-01-01T00:00:00Z' })).toEqual([]);
  expect(unindexedFields({ productClass: 'a', params: { 'Device.A': 1, 'Device.B': 2 } })).toEqual(['params.Device.A', 'params.Device.B']);
});

describe('andId', () => {
  it('puts the _id condition at the top level, where FerretDB can use its index', () => {
    expect(andId<DeviceDoc>({ tags: 'floor-3' }, { $gt: 'a' })).toEqual({ tags: 'floor-3', _id: { $gt: 'a' } });
    expect(andId<DeviceDoc>({}, { $in: ['a', 'b'] })).toEqual({ _id: { $in: ['a', 'b'] } });
  });

  it('keeps both when the query already has an _id condition', () => {
    expect(andId<DeviceDoc>({ _id: { $in: ['a', 'b'] } }, { $gt: 'a' })).toEqual({ $and: [{ _id: { $in: ['a', 'b'] } }, { _id: { $gt: 'a' } }] });
  });
});
