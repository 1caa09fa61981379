import { blocksFor, decode, encodeAck, encodeData, encodeError, encodeOack, encodeRequest, negotiate, OP, TftpPacketError } from '../../../src/tftp/packet';

const bounds = { maxBlksize: 1468, defaultTimeoutSeconds: 2 };

describe('TFTP packets (RFC 1350, 2347)', () => {
  it('decodes a read request with options, names lower-cased', () => {
    const buf = encodeRequest({ kind: 'read', filename: 'CP-6841-3PCC000e08abcdef.cfg', mode: 'OCTET', options: { BLKSIZE: '1024', tsize: '0' } });
    expect(decode(buf)).toEqual({ op: OP.RRQ, kind: 'read', filename: 'CP-6841-3PCC000e08abcdef.cfg', mode: 'octet', options: { blksize: '1024', tsize: '0' } });
  });

  it('refuses malformed requests: no NUL at the end, an option twice, no file name, too long', () => {
    const good = encodeRequest({ kind: 'read', filename: 'a', mode: 'octet', options: {} });
    expect(() => decode(good.subarray(0, good.length - 1))).toThrow(TftpPacketError);
    const twice = Buffer.concat([good, Buffer.from(['blksize', '512', 'BLKSIZE', '1024'].map((x) => `${x}\0`).join(''), 'latin1')]);
    expect(() => decode(twice)).toThrow(/given twice/);
    expect(() => decode(encodeRequest({ kind: 'read', filename: '', mode: 'octet', options: {} }))).toThrow(/no file name/);
    expect(() => decode(encodeRequest({ kind: 'read', filename: 'x'.repeat(600), mode: 'octet', options: {} }))).toThrow(/longer than 512/);
    expect(() => decode(Buffer.from([0, 9, 0, 0]))).toThrow(/unknown opcode 9/);
  });

  it('round-trips DATA, ACK, ERROR and OACK', () => {
    expect(decode(encodeData(7, Buffer.from('abc')))).toEqual({ op: OP.DATA, block: 7, data: Buffer.from('abc') });
    expect(decode(encodeAck(65535))).toEqual({ op: OP.ACK, block: 65535 });
    expect(decode(encodeError(2, 'read-only server'))).toEqual({ op: OP.ERROR, code: 2, message: 'read-only server' });
    expect(decode(encodeOack({ blksize: '1024', tsize: '5000' }))).toEqual({ op: OP.OACK, options: { blksize: '1024', tsize: '5000' } });
  });

  it('keeps error messages printable ASCII', () => {
    expect(decode(encodeError(0, 'bad\u00e9\nname'))).toMatchObject({ message: 'bad??name' });
  });
});

describe('option negotiation (RFC 2348, 2349)', () => {
  it('grants blksize within 8..65464, lowered to the server bound', () => {
    expect(negotiate({ blksize: '8' }, 100, bounds)).toMatchObject({ blksize: 8, oack: { blksize: '8' } });
    expect(negotiate({ blksize: '7' }, 100, bounds)).toMatchObject({ blksize: 512, oack: {} });
    expect(negotiate({ blksize: '65464' }, 100, bounds)).toMatchObject({ blksize: 1468, oack: { blksize: '1468' } });
    expect(negotiate({ blksize: '65465' }, 100, bounds)).toMatchObject({ blksize: 512, oack: {} });
    expect(negotiate({ blksize: '1e3' }, 100, bounds)).toMatchObject({ blksize: 512, oack: {} });
  });

  it('answers tsize 0 with the size, ignores other tsize values on a read', () => {
    expect(negotiate({ tsize: '0' }, 4242, bounds).oack).toEqual({ tsize: '4242' });
    expect(negotiate({ tsize: '10' }, 4242, bounds).oack).toEqual({});
  });

  it('grants a timeout of 1..255 seconds, else keeps the default', () => {
    expect(negotiate({ timeout: '1' }, 1, bounds)).toMatchObject({ timeoutSeconds: 1, oack: { timeout: '1' } });
    expect(negotiate({ timeout: '255' }, 1, bounds)).toMatchObject({ timeoutSeconds: 255 });
    expect(negotiate({ timeout: '0' }, 1, bounds)).toMatchObject({ timeoutSeconds: 2, oack: {} });
    expect(negotiate({ timeout: '256' }, 1, bounds)).toMatchObject({ timeoutSeconds: 2, oack: {} });
  });

  it('counts the short (possibly empty) last block', () => {
    expect(blocksFor(0, 512)).toBe(1);
    expect(blocksFor(511, 512)).toBe(1);
    expect(blocksFor(512, 512)).toBe(2);
    expect(blocksFor(2047, 512)).toBe(4);
  });
});
