import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';

/**
 * Group commit for single-document writes: every write issued during one turn of the event
 * loop goes to MongoDB in one unordered bulk write, and each caller's promise settles with its
 * own statement's result. Under load, concurrent sessions share one round trip; alone, a write
 * waits only for the end of the current turn. Callers still learn that their write is stored
 * before they acknowledge anything.
 *
 * Operations must be idempotent ($set, $setOnInsert, upserts by _id): when a batch fails, each
 * statement is run again on its own to find out which one failed, because FerretDB stops an
 * unordered update at the first failing statement and misreports its index.
 */
export class WriteBatcher<T extends Document> {
  private pending: Array<{ op: AnyBulkWriteOperation<T>; resolve: () => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;

  /**
   * `delayMs` 0 groups the writes of one event-loop turn; more groups writes nobody waits for
   * (a session trace) over that long, so that many sessions share one round trip.
   */
  constructor(
    private readonly collection: Collection<T>,
    private readonly maxBatch = 100,
    private readonly delayMs = 0,
  ) {}

  write(op: AnyBulkWriteOperation<T>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (this.pending.length >= this.maxBatch) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        if (this.delayMs) setTimeout(() => void this.flush(), this.delayMs).unref();
        else setImmediate(() => void this.flush());
      }
    });
  }

  /** Sends what is pending now; resolves once each of those writes settled. */
  flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return Promise.resolve();
    return this.collection.bulkWrite(batch.map((b) => b.op), { ordered: false }).then(
      () => batch.forEach((b) => b.resolve()),
      async () => {
        await Promise.all(batch.map((b) => this.collection.bulkWrite([b.op]).then(() => b.resolve(), b.reject)));
      },
    );
  }
}
