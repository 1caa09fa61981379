import { randomBytes } from 'node:crypto';
import type { AuthState } from '../../../../src/cwmp/session/ports';

/** The authentication state on a clock the case advances. */
export interface AuthStateFixture {
  auth: AuthState;
  advance(ms: number): Promise<void>;
}

const fresh = () => randomBytes(8).toString('hex');

export function authStateContract(fixture: () => AuthStateFixture): void {
  it('accepts each nonce count once and only rising, per nonce', async () => {
    const { auth } = fixture();
    const [n1, n2] = [fresh(), fresh()];
    expect(await auth.acceptNonceCount(n1, 1, 60_000)).toBe(true);
    expect(await auth.acceptNonceCount(n1, 1, 60_000)).toBe(false);
    expect(await auth.acceptNonceCount(n1, 0, 60_000)).toBe(false);
    expect(await auth.acceptNonceCount(n1, 3, 60_000)).toBe(true);
    expect(await auth.acceptNonceCount(n1, 2, 60_000)).toBe(false);
    expect(await auth.acceptNonceCount(n2, 1, 60_000)).toBe(true);
  });

  it('forgets a nonce count once the nonce has expired, not before', async () => {
    const { auth, advance } = fixture();
    const n = fresh();
    await auth.acceptNonceCount(n, 5, 60_000);
    await advance(50_000);
    expect(await auth.acceptNonceCount(n, 5, 60_000)).toBe(false);
    await advance(11_000);
    expect(await auth.acceptNonceCount(n, 1, 60_000)).toBe(true);
  });

  it('counts failures per source in a window that starts at the first and is not extended', async () => {
    const { auth, advance } = fixture();
    const [a, b] = [`10.0.0.${fresh()}`, `10.0.1.${fresh()}`];
    expect(await auth.failures(a)).toBe(0);
    expect(await auth.countFailure(a, 60)).toBe(1);
    await advance(40_000);
    expect(await auth.countFailure(a, 60)).toBe(2);
    expect(await auth.countFailure(b, 60)).toBe(1);
    expect(await auth.failures(a)).toBe(2);
    await advance(21_000);
    expect(await auth.failures(a)).toBe(0);
    expect(await auth.failures(b)).toBe(1);
    expect(await auth.countFailure(a, 60)).toBe(1);
  });
}
