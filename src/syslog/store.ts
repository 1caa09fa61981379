import type { Collection, Db } from 'mongodb';
import type { ProvisioningEventKind, ProvisioningMessage } from './parse';
import { COLLECTIONS } from '../stores/collections';

export const SYSLOG_COLLECTION = COLLECTIONS.syslogEvents;

export interface SyslogEvent {
  kind: ProvisioningEventKind;
  model: string;
  mac: string;
  url?: string;
  error?: string;
  /** the sender's address */
  from: string;
  at: Date;
}

/** One document per device: its newest events, oldest first. */
interface SyslogEventsDoc {
  _id: string;
  events: SyslogEvent[];
  /** bumped at each write: the compare-and-set that serialises concurrent writers */
  seq: number;
  updatedAt: Date;
}

const MAX_ATTEMPTS = 8;

export interface SyslogRetention {
  /** events kept per device (the oldest beyond go) */
  perDevice: number;
  /** older events are not shown, and go as newer ones push them out */
  retentionSeconds: number;
}

/**
 * The phones' provisioning events, per device, in one document written and read by `_id`
 * (the only lookup FerretDB pushes down: src/stores/README.md). Bounded in count at every
 * write (a compare-and-set on `seq`: FerretDB ignores `$push`'s `$slice`); bounded in age on
 * read, since FerretDB has no TTL indexes.
 */
export class SyslogEventStore {
  readonly docs: Collection<SyslogEventsDoc>;

  constructor(
    db: Db,
    private readonly retention: SyslogRetention,
  ) {
    this.docs = db.collection<SyslogEventsDoc>(SYSLOG_COLLECTION);
  }

  async record(deviceId: string, message: ProvisioningMessage, from: string, at = new Date()): Promise<void> {
    const event: SyslogEvent = { ...message, from, at };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.docs.findOne({ _id: deviceId });
      const next: SyslogEventsDoc = { _id: deviceId, events: [...(current?.events ?? []), event].slice(-this.retention.perDevice), seq: (current?.seq ?? 0) + 1, updatedAt: at };
      const written = current
        ? (await this.docs.replaceOne({ _id: deviceId, seq: current.seq }, next)).modifiedCount === 1
        : await this.docs.insertOne(next).then(
            () => true,
            (err: { code?: number }) => {
              if (err.code === 11000) return false;
              throw err;
            },
          );
      if (written) return;
    }
    throw new Error(`syslog events of ${deviceId} kept changing under ${MAX_ATTEMPTS} attempts`);
  }

  /** Newest first, within the retention. */
  async list(deviceId: string, limit: number, now = new Date()): Promise<SyslogEvent[]> {
    const doc = await this.docs.findOne({ _id: deviceId });
    const since = now.getTime() - this.retention.retentionSeconds * 1000;
    return (doc?.events ?? []).filter((e) => new Date(e.at).getTime() >= since).reverse().slice(0, limit);
  }
}
