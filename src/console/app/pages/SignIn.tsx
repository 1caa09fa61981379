import { useEffect, useState, type FormEvent } from 'react';
import { ssoErrorText } from '../lib/signin-errors';
import { useSession } from '../session';

/** The refusal single sign-on came back with (`?signin_error=`), read once from the address. */
function useSsoRefusal(): string | null {
  const [reason] = useState(() => new URLSearchParams(location.search).get('signin_error'));
  useEffect(() => {
    if (reason) history.replaceState(null, '', location.pathname);
  }, [reason]);
  return reason;
}

export function SignIn() {
  const { signIn, expired, sso } = useSession();
  const refusal = ssoErrorText(useSsoRefusal(), sso?.name ?? 'Single sign-on');
  const [error, setError] = useState<string | null>(refusal);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('name') ?? ''), String(form.get('password') ?? ''));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="center" id="main">
      <form className="card signin" onSubmit={(e) => void submit(e)} aria-describedby={error ? 'signin-error' : undefined}>
        <h1>Sign in to the ACS console</h1>
        {expired && !error && <p role="status">Your session ended; sign in again.</p>}
        <label htmlFor="signin-name">User name</label>
        <input id="signin-name" name="name" autoComplete="username" required autoFocus />
        <label htmlFor="signin-password">Password</label>
        <input id="signin-password" name="password" type="password" autoComplete="current-password" required />
        {error && (
          <p id="signin-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {sso && (
          <>
            <p className="or">or</p>
            {/* a navigation, not a fetch: the provider's pages take over the window */}
            <a className="button" href={sso.url}>
              Sign in with {sso.name}
            </a>
          </>
        )}
      </form>
    </main>
  );
}
