/** Sources remembered at most; past this the oldest budgets are forgotten (generous, never unbounded). */
const MAX_SOURCES = 10_000;

/**
 * Requests each source address may start per minute, as a token bucket: `perMinute` at once,
 * refilled evenly over the minute. In memory: each TFTP replica counts its own clients.
 */
export class ClientBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from the source's budget; false when it has none left. */
  take(source: string): boolean {
    const now = this.now();
    let b = this.buckets.get(source);
    if (!b) {
      if (this.buckets.size >= MAX_SOURCES) this.buckets.delete(this.buckets.keys().next().value as string);
      b = { tokens: this.perMinute, at: now };
      this.buckets.set(source, b);
    }
    b.tokens = Math.min(this.perMinute, b.tokens + ((now - b.at) / 60_000) * this.perMinute);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
