import { ConfigError, loadConfig } from '../../../src/config';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('TLS policy settings', () => {
  it('defaults: nothing revoked, no CRL, warnings from 30 days', () => {
    expect(loadConfig({}).tls).toEqual({ revokedSerials: new Set(), crlFile: undefined, expiryWarnDays: 30 });
  });

  it('reads revoked serial numbers in any notation as one form', () => {
    const { revokedSerials } = loadConfig({ ACS_TLS_REVOKED_SERIALS: '0a:1B:2c, 00FF ,DEADbeef' }).tls;
    expect([...revokedSerials]).toEqual(['A1B2C', 'FF', 'DEADBEEF']);
  });

  it('names a bad value', () => {
    expect(problems({ ACS_TLS_REVOKED_SERIALS: '0A,not-hex' })).toEqual([expect.stringMatching(/^ACS_TLS_REVOKED_SERIALS must match pattern .* \(got "0A,not-hex"\)$/)]);
    expect(problems({ ACS_TLS_EXPIRY_WARN_DAYS: '-1' })).toEqual([expect.stringMatching(/^ACS_TLS_EXPIRY_WARN_DAYS must be >= 0/)]);
  });
});
