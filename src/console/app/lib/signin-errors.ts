/**
 * What the sign-in page says when single sign-on sent the browser back refused
 * (`/?signin_error=<reason>`, reasons from src/auth/oidc/login.ts).
 */
export function ssoErrorText(reason: string | null, provider: string): string | null {
  switch (reason) {
    case null:
      return null;
    case 'no-role':
      return `${provider} signed you in, but your account has no role in this console. Ask an administrator to add you to a group the ACS maps to a role.`;
    case 'provider-error':
      return `${provider} did not sign you in (declined or refused). Try again.`;
    case 'provider-unavailable':
      return `${provider} does not answer. Try again later, or sign in with a local account.`;
    case 'no-pending-login':
      return 'That sign-in had expired or was finished already. Start again.';
    case 'state':
    case 'nonce':
    case 'token':
      return `The answer from ${provider} failed the ACS's checks, so you were not signed in. Start again; if it keeps failing, tell an administrator.`;
    default:
      return 'Single sign-on failed. Start again.';
  }
}
