import { ssoErrorText } from '../../../src/console/app/lib/signin-errors';

describe('single sign-on refusals on the sign-in page', () => {
  it('says nothing when there was no refusal', () => {
    expect(ssoErrorText(null, 'Corp IdP')).toBeNull();
  });
  it('tells a person without a role what to ask for', () => {
    expect(ssoErrorText('no-role', 'Corp IdP')).toMatch(/^Corp IdP signed you in, but your account has no role/);
  });
  it('names the provider when it declined or is down, and treats failed checks alike', () => {
    expect(ssoErrorText('provider-error', 'Corp IdP')).toMatch(/Corp IdP did not sign you in/);
    expect(ssoErrorText('provider-unavailable', 'Corp IdP')).toMatch(/Corp IdP does not answer/);
    expect(ssoErrorText('nonce', 'X')).toBe(ssoErrorText('state', 'X'));
    expect(ssoErrorText('something-new', 'X')).toBe('Single sign-on failed. Start again.');
  });
});
