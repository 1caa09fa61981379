import { ConfigError, loadConfig } from '../../src/config';

describe('configuration of the phones channel', () => {
  it('is secure by default', () => {
    expect(loadConfig({}).fs.phones).toEqual({ insecure: false, unproven: 'redact', unprovenBudget: 50, unprovenWindowSeconds: 600, tokenTtlSeconds: 2_592_000, basicOverHttp: false });
    expect(loadConfig({ ACS_FS_INSECURE_PHONE_CHANNEL: 'true', ACS_FS_UNPROVEN_PROFILE: 'refuse' }).fs.phones).toMatchObject({ insecure: true, unproven: 'refuse' });
  });

  it('names the variable and the value expected when one is wrong', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems.join('\n');
      }
      return '';
    };
    expect(problems({ ACS_FS_UNPROVEN_PROFILE: 'serve' })).toMatch(/ACS_FS_UNPROVEN_PROFILE must be equal to one of the allowed values \(got "serve"\)/);
    expect(problems({ ACS_FS_UNPROVEN_BUDGET: '0' })).toMatch(/ACS_FS_UNPROVEN_BUDGET must be >= 1/);
    expect(problems({ ACS_FS_INSECURE_PHONE_CHANNEL: 'maybe' })).toMatch(/ACS_FS_INSECURE_PHONE_CHANNEL must be boolean/);
  });
});
