import { ObjectId, type Collection, type Db } from 'mongodb';

/**
 * What provisioning changed on devices (`provisioning_history`): one document per change the
 * engine made (a SetParameterValues, an AddObject, a delivered configuration file, a firmware
 * install), naming each parameter with its old and new value and the revision that asked for
 * it. Secret values are never stored here, only that they changed.
 */
export interface ChangeEntry {
  /** XML parameter name, or the object/firmware the change is about */
  name: string;
  path?: string;
  old?: string;
  new?: string;
  secret?: true;
}

export type ChangeKind = 'set' | 'object' | 'file' | 'firmware';

export interface HistoryDoc {
  _id: string;
  deviceId: string;
  at: Date;
  kind: ChangeKind;
  /** revision key of the desired state (absent for firmware) */
  key?: string;
  profiles: Array<{ name: string; revision: number }>;
  changes: ChangeEntry[];
  taskId?: string;
}

export const HISTORY_COLLECTION = 'provisioning_history';

/** The changes provisioning made, per device. */
export interface HistoryLog {
  /** Records a change; one with no entries is not recorded. */
  record(entry: Omit<HistoryDoc, '_id'>): Promise<void>;
  /** A device's changes, newest first; `before` is the last id of the previous page. */
  list(deviceId: string, limit: number, before?: string): Promise<{ items: HistoryDoc[]; next?: string }>;
}

export class HistoryStore implements HistoryLog {
  readonly collection: Collection<HistoryDoc>;

  constructor(db: Db) {
    this.collection = db.collection<HistoryDoc>(HISTORY_COLLECTION);
  }

  async record(entry: Omit<HistoryDoc, '_id'>): Promise<void> {
    if (!entry.changes.length) return;
    await this.collection.insertOne({ _id: new ObjectId().toHexString(), ...entry });
  }

  async list(deviceId: string, limit: number, before?: string): Promise<{ items: HistoryDoc[]; next?: string }> {
    const filter: Record<string, unknown> = { deviceId };
    if (before) filter._id = { $lt: before };
    const items = await this.collection
      .find(filter as never)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .toArray();
    const more = items.length > limit;
    const page = items.slice(0, limit);
    return { items: page, ...(more ? { next: page[page.length - 1]._id } : {}) };
  }
}
