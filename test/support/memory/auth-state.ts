import type { AuthState } from '../../../src/cwmp/session/ports';
import { Expiring } from './clock';

/** AuthStore in memory: nonce counts and failure windows expiring by the given clock. */
export class MemoryAuthState implements AuthState {
  private readonly counts: Expiring<string, number>;
  private readonly failed: Expiring<string, number>;

  constructor(clock: () => number) {
    this.counts = new Expiring(clock);
    this.failed = new Expiring(clock);
  }

  async acceptNonceCount(nonce: string, nc: number, ttlMs: number): Promise<boolean> {
    if (nc <= (this.counts.get(nonce) ?? -1)) return false;
    this.counts.set(nonce, nc, ttlMs);
    return true;
  }

  async failures(source: string): Promise<number> {
    return this.failed.get(source) ?? 0;
  }

  /** The window starts at the first failure; later ones do not extend it. */
  async countFailure(source: string, windowSeconds: number): Promise<number> {
    const left = this.failed.ttl(source);
    const n = (this.failed.get(source) ?? 0) + 1;
    this.failed.set(source, n, left ?? windowSeconds * 1000);
    return n;
  }
}
