/** Time the in-memory stores expire things by: it moves only when a test advances it. */
export class ManualClock {
  constructor(private ms = Date.parse('2026-03-01T10:00:00.000Z')) {}

  readonly now = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A value that lives until an epoch ms, as Redis keeps a key with a TTL. */
export class Expiring<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(private readonly clock: () => number) {}

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (e && e.until > this.clock()) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  /** ms left, or undefined when the key is gone */
  ttl(key: K): number | undefined {
    return this.get(key) === undefined ? undefined : this.entries.get(key)!.until - this.clock();
  }

  set(key: K, value: V, ttlMs: number): void {
    this.entries.set(key, { value, until: this.clock() + ttlMs });
  }

  /** keeps the value, as PEXPIRE does */
  expire(key: K, ttlMs: number): void {
    const value = this.get(key);
    if (value !== undefined) this.set(key, value, ttlMs);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
