/**
 * Group commit for work that is cheaper in bulk: items added while a batch is being written
 * wait and go together in the next one (at most `maxBatch`), and each caller's promise settles
 * with its own item's result. Alone, an item waits only for the end of the current turn of the
 * event loop; under load, concurrent callers share the store's round trips, so the number of
 * statements per item falls as the load rises.
 */
export class GroupCommit<T, R> {
  private pending: Array<{ item: T; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;
  private running = 0;

  /** `run` returns one result per item, in order; when it throws, every item of its batch fails. */
  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
    private readonly maxRunning = 2,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || !this.pending.length || this.running >= this.maxRunning) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.running >= this.maxRunning) return;
    const batch = this.pending.splice(0, this.maxBatch);
    if (!batch.length) return;
    this.running += 1;
    try {
      const results = await this.run(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.running -= 1;
      this.schedule();
    }
  }
}
