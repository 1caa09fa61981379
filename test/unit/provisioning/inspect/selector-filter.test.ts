import { selectorFilter } from '../../../../src/provisioning/inspect/matching-devices';

describe('the MongoDB filter of a selector', () => {
  it('is empty for every device, one condition alone, AND of several', () => {
    expect(selectorFilter({})).toEqual({});
    expect(selectorFilter({ tags: ['a', 'b'] })).toEqual({ tags: { $all: ['a', 'b'] } });
    expect(selectorFilter({ productClasses: ['CP-8851-3PCC'], ouis: ['00562B'], macs: ['001122334455'], softwareVersion: { min: 'sip88xx.12-0-1MPP' } })).toEqual({
      $and: [{ mac: { $in: ['001122334455'] } }, { 'deviceId.productClass': { $in: ['CP-8851-3PCC'] } }, { 'deviceId.oui': { $in: ['00562B', '00562b'] } }, { softwareVersion: { $exists: true } }],
    });
    expect(selectorFilter({ deviceIds: ['d1'], serialNumbers: ['S1'] })).toEqual({ $and: [{ _id: { $in: ['d1'] } }, { 'deviceId.serialNumber': { $in: ['S1'] } }] });
  });
});
