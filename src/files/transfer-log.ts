import type { Collection, Db, Filter, ObjectId } from 'mongodb';
import type { Logger } from '../log';
import { metrics } from '../metrics';
import { COLLECTIONS } from '../stores/collections';

/** One request to the fs role: who fetched or sent what, how many bytes, and how it ended. */
export interface TransferLogEntry {
  at: Date;
  direction: 'download' | 'upload';
  /** file: a stored file; profile: a rendered configuration; report: a phone's report */
  resource: 'file' | 'profile' | 'report' | 'unknown';
  deviceId?: string;
  fileId?: string;
  method: string;
  path: string;
  status: number;
  /** body bytes sent (downloads) or received (uploads) */
  bytes: number;
  /** the body went out (or came in) completely */
  complete: boolean;
  range?: string;
  remoteAddress: string;
  userAgent?: string;
  /** why a request was refused */
  reason?: string;
  durationMs: number;
}

export const TRANSFER_LOG = COLLECTIONS.fileTransfers;

const FLUSH_MS = 250;
const BATCH = 500;
const MAX_BUFFERED = 20_000;

/**
 * The `file_transfers` collection, written in batches: at hundreds of downloads a second one
 * insert per request would cost more than serving the file. Entries wait at most FLUSH_MS; if
 * MongoDB stalls, the oldest are dropped past MAX_BUFFERED (counted and logged) rather than
 * growing without bound.
 */
export class TransferLog {
  private readonly collection: Collection<TransferLogEntry>;
  private buffer: TransferLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    db: Db,
    private readonly log: Logger,
  ) {
    this.collection = db.collection<TransferLogEntry>(TRANSFER_LOG);
  }

  /** A page of one device's or one file's transfers, newest first (by `_id`, which grows with the time of writing), before `before`. */
  page(where: { deviceId: string } | { fileId: string }, limit: number, before?: ObjectId): Promise<Array<TransferLogEntry & { _id: ObjectId }>> {
    const filter: Filter<TransferLogEntry> = before ? { ...where, _id: { $lt: before } } : { ...where };
    return this.collection.find(filter).sort({ _id: -1 }).limit(limit).toArray() as Promise<Array<TransferLogEntry & { _id: ObjectId }>>;
  }

  record(entry: TransferLogEntry): void {
    metrics.fsRequests.inc({ resource: entry.resource, status: String(entry.status) });
    metrics.fsBytes.inc({ direction: entry.direction }, entry.bytes);
    this.buffer.push(entry);
    if (this.buffer.length > MAX_BUFFERED) {
      const dropped = this.buffer.splice(0, this.buffer.length - MAX_BUFFERED).length;
      metrics.fsLogDropped.inc(dropped);
      this.log.warn({ event: 'fs.log_dropped', dropped }, 'transfer log entries dropped: MongoDB is not keeping up');
    }
    if (this.buffer.length >= BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is buffered; resolves once it is stored (or its failure logged). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer.splice(0, this.buffer.length);
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      try {
        await this.collection.insertMany(batch, { ordered: false });
      } catch (err) {
        metrics.fsLogDropped.inc(batch.length);
        this.log.warn({ event: 'fs.log_write_failed', err: (err as Error).message, entries: batch.length }, 'transfer log entries lost');
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
