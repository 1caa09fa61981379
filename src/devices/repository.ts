import type { Collection, Db, Filter, FindOptions, UpdateFilter } from 'mongodb';
import { COLLECTIONS } from '../stores/collections';
import { ha1 } from '../cwmp/auth/digest';
import { isEmpty, type DeviceUpdate, type FieldUpdate, type Learned, type NamesListing } from './learn';
import { mergeGroups, mergedSet } from './param-writes';
import { mergeNames, parsePath, subtree } from './params';
import type { DeviceCredentials, DeviceDoc, DeviceParamsDoc, DeviceWithParams, ParamTree } from './types';
import { WriteBatcher } from './write-batcher';
import { GroupCommit } from '../stores/group-commit';
import { readByIds } from '../stores/read-by-ids';

/** Most sessions' device reads one `find` carries. */
const VIEW_BATCH = 100;

/** Fields of one device to set and to remove, by dotted path (`provision.vars`). */
export type FieldChange = Partial<FieldUpdate>;

/** How `find` reads: a projection, `_id` order when asked, at most `limit`. */
export interface FindDevices {
  projection?: Record<string, 0 | 1>;
  sort?: Record<string, 1 | -1>;
  limit?: number;
  batchSize?: number;
}

/** What a session needs to know about a device before it answers the Inform. */
export type DeviceSessionView = Pick<DeviceDoc, '_id' | 'taskQueue' | 'credentials' | 'informDigest' | 'eventTimes' | 'mac'>;

/**
 * MongoDB access for devices: the device document in `devices` (small, read and written by
 * every session) and its learned parameter tree in `device_params` (written when an RPC or a
 * changed Inform value teaches something). Every write addresses one device by `_id` only (the
 * one filter FerretDB turns into an index lookup).
 */
export class DeviceRepository {
  private readonly collection: Collection<DeviceDoc>;
  private readonly paramsCollection: Collection<DeviceParamsDoc>;
  /** a session's writes of the device document (Inform, answers, finished tasks), group-committed */
  private readonly sessionWrites: WriteBatcher<DeviceDoc>;
  private readonly paramWrites: WriteBatcher<DeviceParamsDoc>;
  /** sessions' reads, per projection */
  private readonly sessionReads = new Map<string, GroupCommit<string, DeviceDoc | null>>();

  constructor(db: Db) {
    this.collection = db.collection<DeviceDoc>(COLLECTIONS.devices);
    this.paramsCollection = db.collection<DeviceParamsDoc>(COLLECTIONS.deviceParams);
    this.sessionWrites = new WriteBatcher(this.collection);
    this.paramWrites = new WriteBatcher(this.paramsCollection);
  }

  /**
   * The one read of a session: queue, credential, what the last Informs reported, plus what a
   * reconciler needs. Sessions arriving together share one `find` (`_id` $in, on the index):
   * under load a store round trip costs the driver more CPU than the documents it carries.
   */
  sessionView(id: string, extraFields: readonly string[] = []): Promise<(DeviceSessionView & Partial<DeviceDoc>) | null> {
    const key = extraFields.join(',');
    let reads = this.sessionReads.get(key);
    if (!reads) {
      const projection: Record<string, 1> = { taskQueue: 1, credentials: 1, informDigest: 1, eventTimes: 1, mac: 1 };
      for (const f of extraFields) projection[f] = 1;
      reads = new GroupCommit((ids: string[]) => readByIds(this.collection, ids, projection), VIEW_BATCH, 1);
      this.sessionReads.set(key, reads);
    }
    return reads.add(id) as Promise<(DeviceSessionView & Partial<DeviceDoc>) | null>;
  }

  get(id: string, projection?: Record<string, 0 | 1>): Promise<DeviceDoc | null> {
    return this.collection.findOne({ _id: id }, projection ? { projection } : {});
  }

  /** The device with its learned parameters (`paramsProjection` narrows the tree, e.g. `{ 'params.Device.DeviceInfo': 1 }`). */
  async getWithParams(id: string, paramsProjection?: Record<string, 1>): Promise<DeviceWithParams | null> {
    const [device, params] = await Promise.all([
      this.collection.findOne({ _id: id }),
      this.paramsCollection.findOne({ _id: id }, paramsProjection ? { projection: paramsProjection } : {}),
    ]);
    return device ? { ...device, params: params?.params ?? {} } : null;
  }

  /** The learned parameters alone (`projection` narrows the tree as in getWithParams); null when none were learned. */
  paramsOf(id: string, projection?: Record<string, 1>): Promise<DeviceParamsDoc | null> {
    return this.paramsCollection.findOne({ _id: id }, projection ? { projection } : {});
  }

  /** The documents of those of these devices that exist, in no particular order. */
  async getMany(ids: readonly string[], projection?: Record<string, 0 | 1>): Promise<DeviceDoc[]> {
    if (!ids.length) return [];
    return this.collection.find({ _id: ids.length === 1 ? ids[0] : { $in: [...ids] } }, projection ? { projection } : {}).toArray();
  }

  /**
   * The devices matching a MongoDB filter. Read lazily: leaving the loop early closes the
   * cursor. On FerretDB any filter but an exact `_id` reads the whole collection.
   */
  async *find(filter: Filter<DeviceDoc>, options: FindDevices = {}): AsyncGenerator<DeviceDoc> {
    yield* readAll(this.collection, filter, options);
  }

  /** The parameter documents matching a filter on learned values (`params.<path>._v`), as `find`. */
  async *findParams(filter: Filter<DeviceParamsDoc>, options: FindDevices = {}): AsyncGenerator<DeviceParamsDoc> {
    yield* readAll(this.paramsCollection, filter, options);
  }

  count(filter: Filter<DeviceDoc> = {}): Promise<number> {
    return this.collection.countDocuments(filter);
  }

  /**
   * Sets and removes fields of one device; with `where`, only while the device also matches
   * those conditions (a compare-and-set). True when the device matched.
   */
  async updateFields(id: string, change: FieldChange, where: Filter<DeviceDoc> = {}): Promise<boolean> {
    const update = fieldUpdate(change);
    if (!Object.keys(update).length) return (await this.collection.countDocuments({ ...where, _id: id }, { limit: 1 })) === 1;
    return (await this.collection.updateOne({ ...where, _id: id }, update)).matchedCount === 1;
  }

  /** `updateFields` on every device matching a filter; returns how many matched. */
  async updateMatching(filter: Filter<DeviceDoc>, change: FieldChange): Promise<number> {
    const update = fieldUpdate(change);
    if (!Object.keys(update).length) return 0;
    return (await this.collection.updateMany(filter, update)).matchedCount;
  }

  /** Sets the device's MAC (normalised by the caller); the one it had before, or null when there is no such device. */
  async setMac(id: string, mac: string): Promise<{ before?: string } | null> {
    // The whole document comes back: FerretDB implements no projection on findAndModify.
    const before = await this.collection.findOneAndUpdate({ _id: id }, { $set: { mac } });
    return before ? (before.mac ? { before: before.mac } : {}) : null;
  }

  /**
   * Applies an Inform, creating the device at its first contact. Concurrent Informs share one
   * bulk write per collection; the parameter tree is written only when the Inform changed it.
   */
  async applyInform(id: string, update: DeviceUpdate, setOnInsert: Record<string, unknown>): Promise<void> {
    const summary = this.sessionWrites.write({
      updateOne: { filter: { _id: id }, update: { ...toMongo(update.summary), $setOnInsert: setOnInsert } as UpdateFilter<DeviceDoc>, upsert: true },
    });
    await Promise.all([summary, this.writeParams(id, update.params)]);
  }

  /**
   * Applies what a response taught and removes finished tasks from the device's queue, in one
   * update of the device that joins the other sessions' group commit.
   */
  async apply(id: string, update: DeviceUpdate, finishedTasks: string[] = []): Promise<void> {
    const summary = toMongo(update.summary) as UpdateFilter<DeviceDoc> & Record<string, unknown>;
    if (finishedTasks.length) summary.$pullAll = { taskQueue: finishedTasks };
    await Promise.all([Object.keys(summary).length ? this.sessionWrites.write({ updateOne: { filter: { _id: id }, update: summary } }) : undefined, this.writeParams(id, update.params)]);
  }

  /** Stores what a response taught about the parameter tree (a GetParameterNames listing included). */
  async learn(id: string, learned: Learned, now: Date): Promise<void> {
    if (learned.listing) await this.applyListing(id, learned.listing, now);
    await this.writeParams(id, learned.params);
  }

  /**
   * Small updates join the group commit; large ones are merged into the subtrees they touch
   * and written in one update of a few fields (see param-writes.ts). Read-modify-write: the
   * device is locked by its session meanwhile.
   */
  private async writeParams(id: string, update: FieldUpdate): Promise<void> {
    if (isEmpty(update)) return;
    const groups = mergeGroups(update);
    if (!groups) {
      await this.paramWrites.write({ updateOne: { filter: { _id: id }, update: toMongo(update) as UpdateFilter<DeviceParamsDoc>, upsert: true } });
      return;
    }
    const stored = await this.paramsCollection.findOne({ _id: id }, { projection: Object.fromEntries(groups.map((g) => [g, 1])) });
    await this.paramsCollection.updateOne({ _id: id }, { $set: mergedSet(stored, update, groups) } as UpdateFilter<DeviceParamsDoc>, { upsert: true });
  }

  /**
   * Replaces what was known below the listed path with the GetParameterNames listing, keeping
   * known values of parameters still present. Read-modify-write of one subtree; the device is
   * locked by its session meanwhile.
   */
  async applyListing(id: string, listing: NamesListing, now: Date): Promise<void> {
    const segments = listing.path === '' ? [] : parsePath(listing.path).segments;
    const field = ['params', ...segments].join('.');
    const doc = await this.paramsCollection.findOne({ _id: id }, { projection: { [field]: 1 } });
    const known = subtree(doc?.params as ParamTree | undefined, segments);
    const merged = mergeNames(known, listing.path, listing.names, listing.nextLevel, now);
    await this.paramsCollection.updateOne({ _id: id }, { $set: { [field]: merged } } as UpdateFilter<DeviceParamsDoc>, { upsert: true });
  }

  /** Adds a queued task id; false when the device does not exist. */
  async enqueueTask(id: string, taskId: string): Promise<boolean> {
    const r = await this.collection.updateOne({ _id: id }, { $push: { taskQueue: taskId } });
    return r.matchedCount === 1;
  }

  /** Removes tasks from the device's queue (idempotent, so it joins the group commit). */
  async dequeueTasks(id: string, taskIds: string[]): Promise<void> {
    if (taskIds.length) await this.sessionWrites.write({ updateOne: { filter: { _id: id }, update: { $pullAll: { taskQueue: taskIds } } } });
  }

  /** Sets (or with null, removes) the device's own CWMP credential. */
  async setCredentials(id: string, credential: { username: string; password: string } | null, realm: string): Promise<boolean> {
    const update: UpdateFilter<DeviceDoc> = credential
      ? { $set: { credentials: makeCredentials(credential.username, credential.password, realm) } }
      : { $unset: { credentials: '' } };
    const r = await this.collection.updateOne({ _id: id }, update);
    return r.matchedCount === 1;
  }

  /** Forgets a device and what was learned about it; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const [device] = await Promise.all([this.collection.deleteOne({ _id: id }), this.paramsCollection.deleteOne({ _id: id })]);
    return device.deletedCount === 1;
  }

  // ------------------------------------------------------------------ operator actions (API, jobs)

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

  /** Which of these devices exist (one `_id` `$in` read). */
  async existing(ids: string[]): Promise<Set<string>> {
    return new Set((await this.getMany(ids, { _id: 1 })).map((d) => d._id));
  }

  /** `dequeueTasks` for many devices in one bulk write. */
  async dequeueMany(entries: Array<{ deviceId: string; taskIds: string[] }>): Promise<void> {
    const ops = entries.filter((e) => e.taskIds.length).map((e) => ({ updateOne: { filter: { _id: e.deviceId }, update: { $pullAll: { taskQueue: e.taskIds } } } }));
    if (ops.length) await this.collection.bulkWrite(ops, { ordered: false });
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

  /**
   * Sets and clears fields of the device's `provision` part. Its shape is provisioning's
   * (src/provisioning/types.ts); this store only knows where it lives.
   */
  async updateProvision(id: string, set: Record<string, unknown>, unset: readonly string[] = []): Promise<void> {
    const update: Record<string, unknown> = {};
    if (Object.keys(set).length) update.$set = Object.fromEntries(Object.entries(set).map(([k, v]) => [`provision.${k}`, v]));
    if (unset.length) update.$unset = Object.fromEntries(unset.map((k) => [`provision.${k}`, '']));
    if (Object.keys(update).length) await this.collection.updateOne({ _id: id }, update);
  }

  /** Ends the device's pending firmware step of task `taskId`; false when it was no longer pending (another session ended it). */
  async settleProvisionFirmware(id: string, taskId: string | undefined, status: 'done' | 'fault', at: Date): Promise<boolean> {
    const r = await this.collection.updateOne(
      { _id: id, 'provision.firmware.taskId': taskId, 'provision.firmware.status': 'pending' } as never,
      { $set: { 'provision.firmware.status': status, 'provision.firmware.at': at } } as never,
    );
    return r.modifiedCount === 1;
  }
}

export function makeCredentials(username: string, password: string, realm: string): DeviceCredentials {
  return { username, realm, ha1Md5: ha1('MD5', username, realm, password), ha1Sha256: ha1('SHA-256', username, realm, password) };
}

function fieldUpdate(change: FieldChange): UpdateFilter<DeviceDoc> {
  return toMongo({ set: change.set ?? {}, unset: change.unset ?? [] }) as UpdateFilter<DeviceDoc>;
}

async function* readAll<T extends { _id: string }>(collection: Collection<T>, filter: Filter<T>, options: FindDevices): AsyncGenerator<T> {
  const find: FindOptions = {};
  if (options.projection) find.projection = options.projection;
  if (options.batchSize) find.batchSize = options.batchSize;
  const cursor = collection.find(filter, find);
  if (options.sort) cursor.sort(options.sort);
  if (options.limit !== undefined) cursor.limit(options.limit);
  try {
    for await (const doc of cursor) yield doc as T;
  } finally {
    await cursor.close();
  }
}

function toMongo(update: FieldUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Object.keys(update.set).length) out.$set = update.set;
  if (update.unset.length) out.$unset = Object.fromEntries(update.unset.map((f) => [f, '']));
  return out;
}
