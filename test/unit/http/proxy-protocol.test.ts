import { parseProxyHeader } from '../../../src/http/proxy-protocol';

const v2 = (command: number, family: number, body: Buffer) => {
  const head = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x20 | command, family, 0, 0]);
  head.writeUInt16BE(body.length, 14);
  return Buffer.concat([head, body]);
};
const ipv4Body = Buffer.from([198, 51, 100, 7, 10, 0, 0, 1, 0x15, 0xb3, 0x1d, 0x7b]);
const ipv6Body = Buffer.concat([Buffer.from('20010db8000000000000000000000001', 'hex'), Buffer.alloc(16), Buffer.from([0, 80, 0, 81])]);

describe('PROXY protocol v1', () => {
  it('reads the source of TCP4 and TCP6 headers and where the request starts', () => {
    const header = 'PROXY TCP4 198.51.100.7 10.0.0.1 56324 7547\r\n';
    expect(parseProxyHeader(Buffer.from(`${header}POST / HTTP/1.1\r\n`))).toEqual({ state: 'parsed', length: header.length, source: '198.51.100.7' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 2001:DB8::1 2001:db8::2 1 2\r\n'))).toMatchObject({ state: 'parsed', source: '2001:db8::1' });
  });

  it('keeps the peer for UNKNOWN', () => {
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({ state: 'parsed', length: 15 });
  });

  it('waits for more bytes while the header may still complete', () => {
    for (const partial of ['P', 'PROX', 'PROXY TCP4 198.51.100.7']) expect(parseProxyHeader(Buffer.from(partial))).toEqual({ state: 'incomplete' });
  });

  it('says when a connection starts without a header (plain HTTP, TLS)', () => {
    expect(parseProxyHeader(Buffer.from('POST / HTTP/1.1\r\n'))).toEqual({ state: 'absent' });
    expect(parseProxyHeader(Buffer.from([0x16, 0x03, 0x01]))).toEqual({ state: 'absent' });
  });

  it.each([
    ['wrong family', 'PROXY TCP5 198.51.100.7 10.0.0.1 1 2\r\n'],
    ['address of the other family', 'PROXY TCP4 2001:db8::1 10.0.0.1 1 2\r\n'],
    ['bad address', 'PROXY TCP4 198.51.100.999 10.0.0.1 1 2\r\n'],
    ['port out of range', 'PROXY TCP4 198.51.100.7 10.0.0.1 65536 2\r\n'],
    ['missing port', 'PROXY TCP4 198.51.100.7 10.0.0.1 1\r\n'],
    ['extra field', 'PROXY TCP4 198.51.100.7 10.0.0.1 1 2 3\r\n'],
    ['no end within 107 bytes', `PROXY TCP4 ${'1'.repeat(120)}`],
  ])('refuses a header with %s', (_, text) => {
    expect(parseProxyHeader(Buffer.from(text))).toMatchObject({ state: 'invalid' });
  });
});

describe('PROXY protocol v2', () => {
  it('reads IPv4 and IPv6 sources, skipping TLVs', () => {
    const withTlv = v2(1, 0x11, Buffer.concat([ipv4Body, Buffer.from([0x04, 0x00, 0x02, 0xaa, 0xbb])]));
    expect(parseProxyHeader(Buffer.concat([withTlv, Buffer.from('POST')]))).toEqual({ state: 'parsed', length: withTlv.length, source: '198.51.100.7' });
    expect(parseProxyHeader(v2(1, 0x21, ipv6Body))).toMatchObject({ state: 'parsed', source: '2001:db8::1' });
  });

  it('keeps the peer for LOCAL and for non-IP families', () => {
    expect(parseProxyHeader(v2(0, 0x00, Buffer.alloc(0)))).toEqual({ state: 'parsed', length: 16 });
    expect(parseProxyHeader(v2(1, 0x31, Buffer.alloc(216)))).toEqual({ state: 'parsed', length: 232 });
  });

  it('waits for the whole header', () => {
    const whole = v2(1, 0x11, ipv4Body);
    for (const n of [1, 12, 15, 16, whole.length - 1]) expect(parseProxyHeader(whole.subarray(0, n))).toEqual({ state: 'incomplete' });
  });

  it('refuses other versions, commands, truncated addresses and oversized headers', () => {
    const bad = (b: Buffer) => expect(parseProxyHeader(b)).toMatchObject({ state: 'invalid' });
    const version1 = v2(1, 0x11, ipv4Body);
    version1[12] = 0x11;
    bad(version1);
    bad(v2(2, 0x11, ipv4Body));
    bad(v2(1, 0x11, ipv4Body.subarray(0, 8)));
    bad(v2(1, 0x21, ipv6Body.subarray(0, 20)));
    bad(v2(1, 0x11, Buffer.alloc(4096)));
  });
});
