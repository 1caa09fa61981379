import { checkValue, deriveIdentity, PRODUCTS, productTree } from '../../../src/sim/datamodel';
import { rw } from '../../../src/sim/datamodel/spec';
import { CookieJar } from '../../../src/sim/http/cookie-jar';
import { retryDelayMs, retryWindowSeconds } from '../../../src/sim/retry';
import { firmwareVersionFromName } from '../../../src/sim/transfer';
import { parseRetryAfter } from '../../../src/sim/session';
import { newDevice } from './support';

describe('device identity', () => {
  it('is deterministic for an index and a seed, and differs with the seed', () => {
    expect(deriveIdentity(7, 's', 'FCH', '00562B')).toEqual(deriveIdentity(7, 's', 'FCH', '00562B'));
    expect(deriveIdentity(7, 's', 'FCH', '00562B').serialNumber).not.toBe(deriveIdentity(7, 't', 'FCH', '00562B').serialNumber);
  });

  it('gives distinct Cisco-style serials, MACs and IPs across 10,000 devices', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => deriveIdentity(i, 'fleet', 'FCH', '00562B'));
    expect(new Set(ids.map((i) => i.serialNumber)).size).toBe(10_000);
    expect(new Set(ids.map((i) => i.macAddress)).size).toBe(10_000);
    expect(new Set(ids.map((i) => i.ipAddress)).size).toBe(10_000);
    expect(ids[0].serialNumber).toMatch(/^FCH[0-9A-Z]{8}$/);
    expect(ids[0].macAddress).toMatch(/^00562b[0-9a-f]{6}$/);
  });
});

describe('product models', () => {
  it.each(Object.values(PRODUCTS))('$productClass has one voice profile per line', (product) => {
    const d = newDevice({ productClass: product.productClass });
    expect(d.model.get('Device.Services.VoiceService.1.VoiceProfileNumberOfEntries')).toBe(product.lines);
    expect(String(d.model.get('Device.DeviceInfo.SoftwareVersion'))).toMatch(new RegExp(`^${product.firmwareFamily}\\.`));
  });

  it('shares one tree per product class', () => {
    expect(productTree('CP-7841-3PCC')).toBe(productTree('CP-7841-3PCC'));
    expect(() => productTree('CP-0000')).toThrow(/unknown product class "CP-0000"/);
  });

  it('takes another number of extensions for a bigger data model', () => {
    const names = (lines?: number) => [...productTree('CP-8851-3PCC', lines).walk('Device.')].length;
    expect(productTree('CP-8851-3PCC', 25)).toBe(productTree('CP-8851-3PCC', 25));
    expect(names(25)).toBeGreaterThan(3000);
    expect(names(5)).toBe(names());
    expect([...productTree('CP-8851-3PCC', 25).walk('Device.Services.VoiceService.1.VoiceProfile.')].filter(([n]) => /VoiceProfile\.\d+\.$/.test(n))).toHaveLength(25);
    expect(() => productTree('CP-8851-3PCC', 0)).toThrow(/lines must be a positive integer/);
  });
});

describe('checkValue', () => {
  it('demands the declared xsi:type (9006) and checks ranges, lengths and enumerations (9007)', () => {
    const port = rw.uint(5060, { check: { min: 0, max: 65535 } });
    expect(checkValue(port, 'xsd:unsignedInt', 5061)).toBeUndefined();
    expect(checkValue(port, 'xsd:int', 5061)?.code).toBe(9006);
    expect(checkValue(port, 'xsd:unsignedInt', 65536)?.code).toBe(9007);
    expect(checkValue(rw.int(0), 'xsd:int', 2 ** 31)?.code).toBe(9007);
    expect(checkValue(rw.string('', { check: { maxLength: 3 } }), 'xsd:string', 'abcd')?.code).toBe(9007);
    expect(checkValue(rw.string('UDP', { check: { oneOf: ['UDP', 'TCP'] } }), 'xsd:string', 'TCP')).toBeUndefined();
    expect(checkValue(rw.dateTime('0001-01-01T00:00:00Z'), 'xsd:dateTime', '2024-05-01T10:00:00+02:00')).toBeUndefined();
    expect(checkValue(rw.bool(true), 'xsd:boolean', false)).toBeUndefined();
  });
});

describe('retry back-off (TR-069 3.2.1.1)', () => {
  it('follows the default table and stops growing after the 10th retry', () => {
    expect(retryWindowSeconds(1, 5, 2000)).toEqual([5, 10]);
    expect(retryWindowSeconds(4, 5, 2000)).toEqual([40, 80]);
    expect(retryWindowSeconds(10, 5, 2000)).toEqual([2560, 5120]);
    expect(retryWindowSeconds(25, 5, 2000)).toEqual([2560, 5120]);
    expect(retryWindowSeconds(2, 1, 1500)).toEqual([1.5, 2.25]);
  });

  it('draws the wait inside the window', () => {
    expect(retryDelayMs(3, 5, 2000, 0)).toBe(20_000);
    expect(retryDelayMs(3, 5, 2000, 0.5)).toBe(30_000);
    expect(retryDelayMs(3, 5, 2000, 0.999999)).toBeLessThanOrEqual(40_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(new Date(1_000_000 + 30_000).toUTCString(), 1_000_000)).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('CookieJar', () => {
  const acs = new URL('http://acs.example.net:7547/cwmp/session');

  it('returns several cookies, matching Path and longest path first', () => {
    const jar = new CookieJar();
    jar.store(acs, ['session=abc; Path=/', 'route=r1; Path=/cwmp; HttpOnly', 'other=x; Path=/api']);
    expect(jar.header(acs)).toBe('route=r1; session=abc');
    expect(jar.header(new URL('http://acs.example.net:7547/cwmpx'))).toBe('session=abc');
  });

  it('uses the default path of the request when Path is absent, and replaces same-named cookies', () => {
    const jar = new CookieJar();
    jar.store(acs, 'a=1');
    expect(jar.header(new URL('http://acs.example.net/cwmp/other'))).toBe('a=1');
    expect(jar.header(new URL('http://acs.example.net/'))).toBeUndefined();
    jar.store(acs, 'a=2');
    expect(jar.header(acs)).toBe('a=2');
  });

  it('deletes a cookie on Max-Age=0 and expires it after Max-Age', () => {
    const jar = new CookieJar();
    jar.store(acs, ['a=1', 'b=2; Max-Age=10'], 0);
    jar.store(acs, 'a=gone; Max-Age=0', 0);
    expect(jar.header(acs, 5_000)).toBe('b=2');
    expect(jar.header(acs, 11_000)).toBeUndefined();
  });

  it('keeps host-only cookies to their host, honours Domain and Secure', () => {
    const jar = new CookieJar();
    jar.store(acs, ['h=1', 'd=2; Domain=example.net', 'evil=3; Domain=other.org', 's=4; Secure']);
    expect(jar.header(new URL('http://cwmp2.example.net/cwmp/x'))).toBe('d=2');
    expect(jar.header(acs)).toBe('h=1; d=2');
    expect(jar.header(new URL('https://acs.example.net/cwmp/x'))).toBe('h=1; d=2; s=4');
  });
});

describe('firmwareVersionFromName', () => {
  it('takes a Cisco load name as the version, from TargetFileName or the URL', () => {
    expect(firmwareVersionFromName({ url: 'http://fs/x/sip88xx.12-0-2MPP-1.loads', targetFileName: '' })).toBe('sip88xx.12-0-2MPP-1');
    expect(firmwareVersionFromName({ url: 'http://fs/x/blob', targetFileName: 'sip78xx.12-1-1MPP-3.zip' })).toBe('sip78xx.12-1-1MPP-3');
    expect(firmwareVersionFromName({ url: 'http://fs/x/firmware.bin', targetFileName: '' })).toBeUndefined();
  });
});
