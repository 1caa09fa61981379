import { MAX_DEVICE_KEY_LENGTH, deviceKey, escapeKey, isDeviceKey, parseDeviceKey, unescapeKey } from '../../../src/devices/id';

describe('device ids', () => {
  it('joins OUI, product class and serial with their own dashes escaped', () => {
    const id = deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'FCH2315A1B2' });
    expect(id).toBe('00562B-CP%2D8851%2D3PCC-FCH2315A1B2');
    expect(parseDeviceKey(id)).toEqual({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'FCH2315A1B2' });
  });

  it('escapes every byte outside [A-Za-z0-9_], including UTF-8', () => {
    const parts = { oui: 'a.b', productClass: 'x/y z', serialNumber: 'é%$' };
    const id = deviceKey(parts);
    expect(id).toMatch(/^[A-Za-z0-9_%-]+$/);
    expect(id.split('-')).toHaveLength(3);
    expect(parseDeviceKey(id)).toEqual(parts);
  });

  it('accepts an empty ProductClass, which TR-069 allows', () => {
    const id = deviceKey({ oui: '00562B', productClass: '', serialNumber: 'FCH1' });
    expect(id).toBe('00562B--FCH1');
    expect(parseDeviceKey(id)).toEqual({ oui: '00562B', productClass: '', serialNumber: 'FCH1' });
  });

  it.each(['', 'a-b', 'a-b-c-d', 'a-b-%zz', 'a-b-c d', '-b-c', 'a-b-', '--'])('refuses %j as a device id', (text) => {
    expect(parseDeviceKey(text)).toBeUndefined();
  });

  it('takes every id an Inform within TR-069 bounds can produce, however long its escapes make it', () => {
    // string(64) of printable ASCII that all escapes: 3 characters each, 392 in the id
    const id = deviceKey({ oui: '00562B', productClass: '/'.repeat(64), serialNumber: '.'.repeat(64) });
    expect(id.length).toBeGreaterThan(256);
    expect(isDeviceKey(id)).toBe(true);
  });

  it.each(['a-b-c-d', 'a-b-%zz', '', `a-b-${'c'.repeat(MAX_DEVICE_KEY_LENGTH)}`])('isDeviceKey refuses %j', (text) => {
    expect(isDeviceKey(text)).toBe(false);
  });

  it('escapes MongoDB-hostile keys reversibly', () => {
    for (const k of ['M Reboot', 'X 00562B a.b', '$set', '%2E', 'a%24b', '$.%']) {
      const e = escapeKey(k);
      expect(e).not.toMatch(/\./);
      expect(e.startsWith('$')).toBe(false);
      expect(unescapeKey(e)).toBe(k);
    }
  });
});
