import type { Collection, Db, UpdateFilter } from 'mongodb';
import { ha1 } from '../cwmp/auth/digest';
import type { FieldUpdate, NamesListing } from './learn';
import { WriteBatcher } from './write-batcher';
import { mergeNames, parsePath, subtree } from './params';
import type { DeviceCredentials, DeviceDoc, ParamTree } from './types';

/** What a session needs to know about a device before it answers the Inform. */
export type DeviceSessionView = Pick<DeviceDoc, '_id' | 'taskQueue' | 'credentials'>;

/**
 * MongoDB access for device documents. Every write addresses one device by `_id` only
 * (the one filter FerretDB turns into an index lookup).
 */
export class DeviceRepository {
  readonly collection: Collection<DeviceDoc>;
  private readonly informWrites: WriteBatcher<DeviceDoc>;

  constructor(db: Db) {
    this.collection = db.collection<DeviceDoc>('devices');
    this.informWrites = new WriteBatcher(this.collection);
  }

  /** The one read of a session: queue and credential, plus any fields a reconciler needs. */
  sessionView(id: string, extraFields: readonly string[] = []): Promise<(DeviceSessionView & Partial<DeviceDoc>) | null> {
    const projection: Record<string, 1> = { taskQueue: 1, credentials: 1 };
    for (const f of extraFields) projection[f] = 1;
    return this.collection.findOne({ _id: id }, { projection }) as Promise<(DeviceSessionView & Partial<DeviceDoc>) | null>;
  }

  get(id: string, projection?: Record<string, 0 | 1>): Promise<DeviceDoc | null> {
    return this.collection.findOne({ _id: id }, projection ? { projection } : {});
  }

  /**
   * Applies an Inform's update, creating the device at its first contact. Concurrent Informs
   * share one bulk write (the hot path of every periodic session).
   */
  applyInform(id: string, update: FieldUpdate, setOnInsert: Record<string, unknown>): Promise<void> {
    return this.informWrites.write({
      updateOne: { filter: { _id: id }, update: { ...toMongo(update), $setOnInsert: setOnInsert } as UpdateFilter<DeviceDoc>, upsert: true },
    });
  }

  /** Applies learned fields and removes finished tasks from the device's queue, in one write. */
  async apply(id: string, update: FieldUpdate, finishedTasks: string[] = []): Promise<void> {
    const mongo = toMongo(update) as UpdateFilter<DeviceDoc> & Record<string, unknown>;
    if (finishedTasks.length) mongo.$pullAll = { taskQueue: finishedTasks };
    if (Object.keys(mongo).length) await this.collection.updateOne({ _id: id }, mongo);
  }

  /**
   * Replaces what was known below the listed path with the GetParameterNames listing, keeping
   * known values of parameters still present. Read-modify-write of one subtree; the device is
   * locked by its session meanwhile.
   */
  async applyListing(id: string, listing: NamesListing, now: Date): Promise<void> {
    const segments = listing.path === '' ? [] : parsePath(listing.path).segments;
    const field = ['params', ...segments].join('.');
    const doc = await this.collection.findOne({ _id: id }, { projection: { [field]: 1 } });
    const known = subtree(doc?.params as ParamTree | undefined, segments);
    const merged = mergeNames(known, listing.path, listing.names, listing.nextLevel, now);
    await this.collection.updateOne({ _id: id }, { $set: { [field]: merged } } as UpdateFilter<DeviceDoc>);
  }

  /** Adds a queued task id; false when the device does not exist. */
  async enqueueTask(id: string, taskId: string): Promise<boolean> {
    const r = await this.collection.updateOne({ _id: id }, { $push: { taskQueue: taskId } });
    return r.matchedCount === 1;
  }

  async dequeueTasks(id: string, taskIds: string[]): Promise<void> {
    if (taskIds.length) await this.collection.updateOne({ _id: id }, { $pullAll: { taskQueue: taskIds } });
  }

  /** Sets (or with null, removes) the device's own CWMP credential. */
  async setCredentials(id: string, credential: { username: string; password: string } | null, realm: string): Promise<boolean> {
    const update: UpdateFilter<DeviceDoc> = credential
      ? { $set: { credentials: makeCredentials(credential.username, credential.password, realm) } }
      : { $unset: { credentials: '' } };
    const r = await this.collection.updateOne({ _id: id }, update);
    return r.matchedCount === 1;
  }

  // ------------------------------------------------------------------ operator actions

  /**
   * Announces tasks on the device's queue. Idempotent: ids already queued are not added again,
   * so a release replayed after a crash changes nothing. False when the device does not exist.
   */
  async announceTasks(id: string, taskIds: string[]): Promise<boolean> {
    const r = await this.collection.updateOne({ _id: id }, { $addToSet: { taskQueue: { $each: taskIds } } });
    return r.matchedCount === 1;
  }

  /** `announceTasks` for many devices in one bulk write; returns how many devices exist. */
  async announceMany(entries: Array<{ deviceId: string; taskIds: string[] }>): Promise<number> {
    if (!entries.length) return 0;
    const r = await this.collection.bulkWrite(
      entries.map((e) => ({ updateOne: { filter: { _id: e.deviceId }, update: { $addToSet: { taskQueue: { $each: e.taskIds } } } } })),
      { ordered: false },
    );
    return r.matchedCount;
  }

  /** `dequeueTasks` for many devices in one bulk write. */
  async dequeueMany(entries: Array<{ deviceId: string; taskIds: string[] }>): Promise<void> {
    const ops = entries.filter((e) => e.taskIds.length).map((e) => ({ updateOne: { filter: { _id: e.deviceId }, update: { $pullAll: { taskQueue: e.taskIds } } } }));
    if (ops.length) await this.collection.bulkWrite(ops, { ordered: false });
  }

  async remove(id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id })).deletedCount === 1;
  }

  /** Adds a tag (once); false when the device does not exist. */
  async addTag(id: string, tag: string): Promise<boolean> {
    return (await this.collection.updateOne({ _id: id }, { $addToSet: { tags: tag } })).matchedCount === 1;
  }

  async removeTag(id: string, tag: string): Promise<boolean> {
    return (await this.collection.updateOne({ _id: id }, { $pullAll: { tags: [tag] } })).matchedCount === 1;
  }

  /** Sets (or with null, removes) the credential the ACS uses for connection requests to the device. */
  async setConnectionRequestAuth(id: string, auth: { username: string; password: string } | null): Promise<boolean> {
    const update: UpdateFilter<DeviceDoc> = auth ? { $set: { connectionRequestAuth: auth } } : { $unset: { connectionRequestAuth: '' } };
    return (await this.collection.updateOne({ _id: id }, update)).matchedCount === 1;
  }
}

export function makeCredentials(username: string, password: string, realm: string): DeviceCredentials {
  return { username, realm, ha1Md5: ha1('MD5', username, realm, password), ha1Sha256: ha1('SHA-256', username, realm, password) };
}

function toMongo(update: FieldUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Object.keys(update.set).length) out.$set = update.set;
  if (update.unset.length) out.$unset = Object.fromEntries(update.unset.map((f) => [f, '']));
  return out;
}
