import { clientAddress, normaliseAddress } from '../../../src/http/client-address';
import { parseNetworks } from '../../../src/http/networks';

const trusted = parseNetworks('10.0.0.0/8, 2001:db8:ffff::/48');
const none = parseNetworks('');

describe('client address', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', undefined, none)).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
  });

  it('takes the hop a trusted proxy reported, and walks through a chain of trusted proxies', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.5', '198.51.100.1, 10.1.1.1', trusted)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:10.0.0.5', '198.51.100.1:4711, [2001:db8:ffff::7]:80', trusted)).toBe('198.51.100.1');
  });

  it('does not believe what an untrusted hop wrote further left', () => {
    // 198.51.100.1 talked to the trusted proxy; the 192.0.2.66 it claims is its own invention
    expect(clientAddress('10.0.0.5', '192.0.2.66, 198.51.100.1', trusted)).toBe('198.51.100.1');
  });

  it('stops at a hop it cannot read', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1, garbage', trusted)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '', trusted)).toBe('10.0.0.5');
  });

  it('writes one client one way', () => {
    expect(normaliseAddress('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(normaliseAddress('2001:DB8::1')).toBe('2001:db8::1');
  });
});
