import type { Collection, Db } from 'mongodb';
import type { Config } from '../../config';
import { DeviceRepository } from '../../devices/repository';
import { COLLECTIONS } from '../../stores/collections';
import { WriteBatcher } from '../../devices/write-batcher';
import type { Logger } from '../../log';
import type { SessionTraceDoc } from './types';

export const TRACE_COLLECTION = COLLECTIONS.sessionTraces;

/** Fields of the device document the trace keeps: its last session number and the tracing switch. */
export interface DeviceTraceFields {
  traceSeq?: number;
  traceBodiesUntil?: Date;
}

/**
 * The last sessions of each device in `session_traces`. A device's session number `seq` picks
 * its slot (`seq mod N`), so a device never holds more than N documents and each write is a
 * replace by `_id`. Writes are grouped over ACS_TRACE_FLUSH_MS and nobody waits for them:
 * sessions stay at their one read and one write. Reads go by `_id` too (the one lookup
 * FerretDB serves from an index); expired documents are skipped where no TTL index runs.
 */
export class SessionTraceStore {
  readonly collection: Collection<SessionTraceDoc>;
  private readonly devices: DeviceRepository;
  private readonly writes: WriteBatcher<SessionTraceDoc>;

  constructor(
    db: Db,
    readonly config: Config['trace'],
    private readonly log: Logger,
    /** told once a finished session is stored, so readers (the console) can fetch it then */
    private readonly onRecorded?: (doc: SessionTraceDoc) => void,
    devices?: DeviceRepository,
  ) {
    this.collection = db.collection<SessionTraceDoc>(TRACE_COLLECTION);
    this.devices = devices ?? new DeviceRepository(db);
    this.writes = new WriteBatcher(this.collection, 500, config.flushMs);
  }

  slotId(deviceId: string, seq: number): string {
    return `${deviceId}:${seq % this.config.sessionsPerDevice}`;
  }

  /** Queues a finished session for the next grouped write; a failure is logged, never thrown. */
  record(doc: SessionTraceDoc): void {
    this.writes.write({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } }).then(
      () => this.onRecorded?.(doc),
      (err: unknown) => {
        this.log.warn({ event: 'cwmp.trace_write_failed', deviceId: doc.deviceId, err: (err as Error).message }, 'session trace not stored');
      },
    );
  }

  /**
   * Writes what is queued and waits for the grouped write already on its way (at shutdown: the
   * connections close right after; and for tests that read right away). Each write's
   * `onRecorded` has run by then: the batch settles its writes before it counts as done.
   */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  /** The device's trace fields; null when there is no such device. */
  async device(deviceId: string): Promise<DeviceTraceFields | null> {
    return this.devices.get(deviceId, { traceSeq: 1, traceBodiesUntil: 1 }) as Promise<DeviceTraceFields | null>;
  }

  /** Up to `limit` sessions numbered below `before`, newest first, and whether older ones may follow. */
  async list(deviceId: string, lastSeq: number, before: number, limit: number, now = new Date()): Promise<{ items: SessionTraceDoc[]; more: boolean }> {
    const oldest = Math.max(1, lastSeq - this.config.sessionsPerDevice + 1);
    const seqs: number[] = [];
    for (let seq = Math.min(lastSeq, before - 1); seq >= oldest && seqs.length < limit; seq--) seqs.push(seq);
    const docs = await Promise.all(seqs.map((seq) => this.get(deviceId, seq, now)));
    const items = docs.filter((d): d is SessionTraceDoc => d !== null);
    return { items, more: seqs.length > 0 && seqs[seqs.length - 1] > oldest };
  }

  async get(deviceId: string, seq: number, now = new Date()): Promise<SessionTraceDoc | null> {
    if (!this.config.sessionsPerDevice) return null;
    const doc = await this.collection.findOne({ _id: this.slotId(deviceId, seq) });
    return doc && doc.deviceId === deviceId && doc.seq === seq && doc.expiresAt > now ? doc : null;
  }

  /** Switches SOAP bodies on for the device's sessions until `until`; false when there is no such device. */
  async traceBodies(deviceId: string, until: Date | null): Promise<boolean> {
    return this.devices.updateFields(deviceId, until ? { set: { traceBodiesUntil: until } } : { unset: ['traceBodiesUntil'] });
  }
}
