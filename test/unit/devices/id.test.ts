import { deviceKey, escapeKey, parseDeviceKey, unescapeKey } from '../../../src/devices/id';

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

  it('escapes MongoDB-hostile keys reversibly', () => {
    for (const k of ['M Reboot', 'X 00562B a.b', '$set', '%2E', 'a%24b', '$.%']) {
      const e = escapeKey(k);
      expect(e).not.toMatch(/\./);
      expect(e.startsWith('$')).toBe(false);
      expect(unescapeKey(e)).toBe(k);
    }
  });
});
