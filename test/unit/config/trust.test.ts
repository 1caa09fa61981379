import { ConfigError, loadConfig } from '../../../src/config';
import { inNetworks } from '../../../src/http/networks';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('device-facing trust settings', () => {
  it('defaults: no trusted proxy, no PROXY protocol, Node-like timeouts', () => {
    const cwmp = loadConfig({}).cwmp;
    expect(cwmp.proxyProtocol).toBe(false);
    expect(inNetworks(cwmp.trustedProxies, '127.0.0.1')).toBe(false);
    expect(cwmp).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 });
  });

  it('reads the trusted proxies', () => {
    const cwmp = loadConfig({ ACS_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8', ACS_CWMP_PROXY_PROTOCOL: 'true' }).cwmp;
    expect(inNetworks(cwmp.trustedProxies, '10.1.2.3')).toBe(true);
    expect(inNetworks(cwmp.trustedProxies, 'fd00::1')).toBe(true);
    expect(inNetworks(cwmp.trustedProxies, '192.0.2.1')).toBe(false);
  });

  it('names the variable of each bad value', () => {
    expect(problems({ ACS_TRUSTED_PROXIES: '10.0.0.1' })).toEqual([expect.stringMatching(/^ACS_TRUSTED_PROXIES: "10\.0\.0\.1" is not a network in CIDR notation/)]);
    expect(problems({ ACS_CWMP_PROXY_PROTOCOL: 'true' })).toEqual([expect.stringMatching(/^ACS_CWMP_PROXY_PROTOCOL needs ACS_TRUSTED_PROXIES/)]);
    expect(problems({ ACS_CWMP_HEADERS_TIMEOUT_MS: '5000', ACS_CWMP_REQUEST_TIMEOUT_MS: '1000' })).toEqual([expect.stringMatching(/^ACS_CWMP_REQUEST_TIMEOUT_MS must be at least ACS_CWMP_HEADERS_TIMEOUT_MS/)]);
    expect(problems({ ACS_CWMP_HEADERS_TIMEOUT_MS: '10' })).toEqual([expect.stringMatching(/^ACS_CWMP_HEADERS_TIMEOUT_MS must be >= 100/)]);
  });
});
