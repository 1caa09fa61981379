import type { Collection, Db } from 'mongodb';

/**
 * What the ACS delivered to a device by configuration file (`device_applied`): the entries of
 * the last delivered file part, and the one in flight. Read only while a device is being
 * reconciled: it decides whether the file must travel again, and gives the old values for
 * history. Names are XML names, which may contain dots: kept in a list, not as fields.
 */
export interface DeliveredFile {
  key: string;
  digest: string;
  values: FileValue[];
  at: Date;
}

/** An entry of a delivered file; a secret's value is a digest of it, never the secret (objects: FerretDB stores no nested arrays). */
export interface FileValue {
  name: string;
  value: string;
  secret?: true;
}

export interface AppliedDoc {
  _id: string;
  file?: DeliveredFile;
  pending?: DeliveredFile & { taskId: string };
}

export const APPLIED_COLLECTION = 'device_applied';

/** The files delivered to each device, and the one in flight. */
export interface AppliedFiles {
  get(deviceId: string): Promise<AppliedDoc | undefined>;
  pending(deviceId: string, pending: NonNullable<AppliedDoc['pending']>): Promise<void>;
  /** The pending file with this task arrived: it becomes the delivered one. Returns both, or undefined if another is pending. */
  delivered(deviceId: string, taskId: string): Promise<{ before?: DeliveredFile; now: DeliveredFile } | undefined>;
  dropPending(deviceId: string, taskId: string): Promise<void>;
}

export class AppliedStore implements AppliedFiles {
  readonly collection: Collection<AppliedDoc>;

  constructor(db: Db) {
    this.collection = db.collection<AppliedDoc>(APPLIED_COLLECTION);
  }

  async get(deviceId: string): Promise<AppliedDoc | undefined> {
    return (await this.collection.findOne({ _id: deviceId })) ?? undefined;
  }

  async pending(deviceId: string, pending: NonNullable<AppliedDoc['pending']>): Promise<void> {
    await this.collection.updateOne({ _id: deviceId }, { $set: { pending } }, { upsert: true });
  }

  async delivered(deviceId: string, taskId: string): Promise<{ before?: DeliveredFile; now: DeliveredFile } | undefined> {
    const doc = await this.get(deviceId);
    if (!doc?.pending || doc.pending.taskId !== taskId) return undefined;
    const { taskId: _taskId, ...now } = doc.pending;
    const r = await this.collection.updateOne({ _id: deviceId, 'pending.taskId': taskId }, { $set: { file: now }, $unset: { pending: '' } });
    return r.modifiedCount === 1 ? { ...(doc.file ? { before: doc.file } : {}), now } : undefined;
  }

  async dropPending(deviceId: string, taskId: string): Promise<void> {
    await this.collection.updateOne({ _id: deviceId, 'pending.taskId': taskId }, { $unset: { pending: '' } });
  }
}
