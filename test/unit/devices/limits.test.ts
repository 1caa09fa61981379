import { deviceIdProblem, eventsProblem, type DeviceLimits } from '../../../src/devices/limits';

const limits: DeviceLimits = { maxSerialNumberLength: 64, maxProductClassLength: 64, maxParameters: 100, maxValueLength: 64, maxFaultStringLength: 256, maxEventCodes: 64 };
const id = { oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'FCH1234' };

describe('deviceIdProblem', () => {
  it('accepts TR-069 identities, an empty ProductClass and a lower-case OUI included', () => {
    expect(deviceIdProblem(id, limits)).toBeUndefined();
    expect(deviceIdProblem({ ...id, productClass: '' }, limits)).toBeUndefined();
    expect(deviceIdProblem({ ...id, oui: '00562b' }, limits)).toBeUndefined();
    expect(deviceIdProblem({ ...id, serialNumber: 'S'.repeat(64), productClass: 'P'.repeat(64) }, limits)).toBeUndefined();
  });

  it.each([
    [{ oui: '' }, /OUI/],
    [{ oui: '00562' }, /OUI/],
    [{ oui: 'GG562B' }, /OUI/],
    [{ serialNumber: '' }, /SerialNumber/],
    [{ serialNumber: 'S'.repeat(65) }, /SerialNumber is longer than 64/],
    [{ productClass: 'P'.repeat(65) }, /ProductClass is longer than 64/],
    [{ serialNumber: 'FCH\u0000' }, /SerialNumber holds characters/],
    [{ productClass: 'CP\n8851' }, /ProductClass holds characters/],
    [{ serialNumber: 'FCHé' }, /SerialNumber holds characters/],
  ])('refuses %j', (change, reason) => {
    expect(deviceIdProblem({ ...id, ...change }, limits)).toMatch(reason);
  });
});

describe('eventsProblem', () => {
  it('holds Informs to TR-069 bounds: 64 events, codes of 64 characters', () => {
    expect(eventsProblem(Array.from({ length: 64 }, () => ({ eventCode: 'X'.repeat(64) })))).toBeUndefined();
    expect(eventsProblem(Array.from({ length: 65 }, () => ({ eventCode: '2 PERIODIC' })))).toMatch(/more than 64 events/);
    expect(eventsProblem([{ eventCode: 'X'.repeat(65) }])).toMatch(/longer than 64/);
  });
});
