import { randomBytes } from 'node:crypto';
import { FileError, UrlSigner } from '../../../src/files';
import { pathSegments } from '../../../src/files/http/paths';

const signer = new UrlSigner(randomBytes(32), 'https://fs.example.net:7567');
const device = '00562B-CP%2D8851%2D3PCC-FCH1234';
const fileId = '0123456789abcdef01234567';

function grantOf(url: string) {
  const u = new URL(url);
  return { u, expires: Number(u.searchParams.get('expires')), sig: u.searchParams.get('sig') ?? undefined };
}

describe('UrlSigner', () => {
  it('makes URLs on the public base whose grant verifies until it expires', () => {
    const at = new Date('2030-01-01T00:00:00.500Z');
    const { u, expires, sig } = grantOf(signer.fileUrl(fileId, 'sip88xx.12-0-2MPP-1.loads', device, at));
    expect(u.origin).toBe('https://fs.example.net:7567');
    expect(u.pathname).toBe(`/files/${fileId}/sip88xx.12-0-2MPP-1.loads`);
    expect(u.searchParams.get('device')).toBe(device);
    expect(expires).toBe(Math.ceil(at.getTime() / 1000));
    const grant = { resource: { kind: 'file' as const, fileId }, deviceId: device, expires };
    expect(() => signer.verify(grant, sig, at.getTime() - 1000)).not.toThrow();
    expect(() => signer.verify(grant, sig, expires * 1000)).toThrow(/expired at 2030-01-01T00:00:01.000Z/);
  });

  it('binds the signature to the resource, the device, the expiry and the key', () => {
    const { expires, sig } = grantOf(signer.profileUrl(device, new Date(Date.now() + 60_000)));
    const ok = { resource: { kind: 'profile' as const }, deviceId: device, expires };
    expect(() => signer.verify(ok, sig)).not.toThrow();
    const refused = (g: typeof ok | { resource: { kind: 'file'; fileId: string }; deviceId: string; expires: number }, s = sig, by = signer) => {
      const err = (() => {
        try {
          by.verify(g, s);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(FileError);
      return err as FileError;
    };
    expect(refused({ ...ok, deviceId: '00562B-CP%2D8851%2D3PCC-FCH9999' }).status).toBe(403);
    expect(refused({ ...ok, expires: expires + 1 }).status).toBe(403);
    expect(refused({ resource: { kind: 'file', fileId }, deviceId: device, expires }).status).toBe(403);
    expect(refused(ok, sig, new UrlSigner(randomBytes(32), 'https://x')).message).toMatch(/does not match/);
    expect(refused(ok, `${sig}x`).message).toMatch(/missing or malformed/);
    // The last character's low bits decode to nothing: an edit there is still another signature.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const edited = sig!.slice(0, -1) + alphabet[alphabet.indexOf(sig!.slice(-1)) ^ 1];
    expect(refused(ok, edited).message).toMatch(/does not match/);
    expect(refused(ok, '').message).toMatch(/missing or malformed/);
    expect(refused({ ...ok, deviceId: '' }).message).toMatch(/device is missing/);
    expect(refused({ ...ok, expires: Number.NaN }).message).toMatch(/expiry is missing/);
  });
});

describe('pathSegments', () => {
  it('decodes ordinary segments', () => {
    expect(pathSegments('/files/abc/sip88xx.12-0-2MPP-1.loads')).toEqual(['files', 'abc', 'sip88xx.12-0-2MPP-1.loads']);
    expect(pathSegments('/cisco/CP-8851-3PCC%20x.cfg')).toEqual(['cisco', 'CP-8851-3PCC x.cfg']);
  });

  it.each([
    ['/files/../x', /"\." or "\.\." segment/],
    ['/files/%2E%2E/x', /"\." or "\.\." segment/],
    ['/files/./x', /"\." or "\.\." segment/],
    ['/files/a%2fb', /encoded separator/],
    ['/files/a%5Cb', /encoded separator/],
    ['/files/a%00b', /encoded separator or NUL/],
    ['/files/a\\b', /backslash/],
    ['/files/%E0%A4%A', /malformed percent-encoding/],
    ['files/x', /must start with/],
  ])('refuses %s', (path, message) => {
    expect(() => pathSegments(path)).toThrow(message);
  });
});
