import type { AnyBulkWriteOperation, BulkWriteResult, Collection, Document } from 'mongodb';

interface Pending<T extends Document> {
  op: AnyBulkWriteOperation<T>;
  resolve: (matched: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for single-document writes: writes go to MongoDB in unordered bulk writes, one
 * batch out at a time, and each caller's promise settles with its own statement's result:
 * whether it matched (or inserted, or upserted) a document.
 * Writes issued while a batch is out gather for the next one, which leaves as that batch
 * returns; so the busier the store, the more writes share a round trip, and a write alone
 * waits only for the end of the current event-loop turn. Callers still learn that their write
 * is stored before they acknowledge anything.
 *
 * Operations must be idempotent ($set, $unset, $pullAll, $setOnInsert, upserts by _id): when a
 * batch fails, each statement is run again on its own to find out which one failed, because
 * FerretDB stops an unordered update at the first failing statement and misreports its index.
 * A bulk write reports only how many matched, so when some did not, each statement is run
 * again on its own too: a compare-and-set must then also match the document it already
 * changed (see TaskRepository.settle), so that its run again tells the truth.
 */
export class WriteBatcher<T extends Document> {
  private pending: Array<Pending<T>> = [];
  private scheduled = false;
  /** the batch out, if any */
  private sending: Promise<void> | undefined;

  /**
   * `delayMs` 0 groups the writes of one event-loop turn; more groups writes nobody waits for
   * (a session trace) over that long, so that many sessions share one round trip.
   */
  constructor(
    private readonly collection: Collection<T>,
    private readonly maxBatch = 100,
    private readonly delayMs = 0,
  ) {}

  write(op: AnyBulkWriteOperation<T>): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once nothing is pending or out (at shutdown, and for tests that read right away). */
  async flush(): Promise<void> {
    while (this.sending || this.pending.length) await (this.sending ?? this.send());
  }

  private schedule(): void {
    // The batch out sends what gathered meanwhile when it returns.
    if (this.sending) return;
    if (this.pending.length >= this.maxBatch) void this.send();
    else if (!this.scheduled) {
      this.scheduled = true;
      const fire = () => {
        this.scheduled = false;
        if (!this.sending) void this.send();
      };
      if (this.delayMs) setTimeout(fire, this.delayMs).unref();
      else setImmediate(fire);
    }
  }

  private send(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatch);
    if (!batch.length) return Promise.resolve();
    const sending = this.commit(batch).finally(() => {
      this.sending = undefined;
      if (this.pending.length) this.schedule();
    });
    this.sending = sending;
    return sending;
  }

  /** Never rejects: each caller learns of its own statement. */
  private async commit(batch: Array<Pending<T>>): Promise<void> {
    const alone = () => Promise.all(batch.map((b) => this.collection.bulkWrite([b.op]).then((r) => b.resolve(touched(r) === 1), b.reject)));
    let all: boolean;
    try {
      all = touched(await this.collection.bulkWrite(batch.map((b) => b.op), { ordered: false })) === batch.length;
    } catch {
      await alone();
      return;
    }
    if (all) batch.forEach((b) => b.resolve(true));
    else await alone();
  }
}

/** Documents the statements of a bulk write matched, inserted, upserted or deleted. */
function touched(r: BulkWriteResult): number {
  return r.matchedCount + r.insertedCount + r.upsertedCount + r.deletedCount;
}
