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

  constructor(
    private readonly collection: Collection<T>,
    private readonly maxBatch = 100,
  ) {}

  write(op: AnyBulkWriteOperation<T>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    this.collection.bulkWrite(batch.map((b) => b.op), { ordered: false }).then(
      () => batch.forEach((b) => b.resolve()),
      () => {
        for (const b of batch) this.collection.bulkWrite([b.op]).then(() => b.resolve(), b.reject);
      },
    );
  }
}
