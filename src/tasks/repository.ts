import { MongoBulkWriteError, ObjectId, type Collection, type Db, type Filter, type UpdateFilter } from 'mongodb';
import type { AcsRequest } from '../cwmp/soap/types';
import { DeviceRepository } from '../devices/repository';
import { WriteBatcher } from '../devices/write-batcher';
import { newTask, type QueueOptions } from './new-task';
import type { FinalOutcome, Outcome } from './outcome';
import type { ConnectionRequestState, TaskDoc, TaskFault, TaskStatus } from './types';
import { COLLECTIONS } from '../stores/collections';

const DUPLICATE_KEY = 11000;
const RELEASE_BATCH = 1000;

/** Tasks stored released whose announcement on their devices' queues may not have happened yet. */
export interface AnnouncementDoc {
  _id: string;
  taskIds: string[];
  createdAt: Date;
}

export class UnknownDeviceError extends Error {
  constructor(readonly deviceId: string) {
    super(`unknown device ${deviceId}`);
    this.name = 'UnknownDeviceError';
  }
}

/**
 * The `tasks` collection: RPCs queued for devices and their outcomes. A task id is also
 * pushed onto its device's `taskQueue`, so a session learns what is waiting from the device
 * document it reads anyway. Every state change is a compare-and-set on `_id` + status, so two
 * actors (a session and the API, two replicas) can never both move a task.
 */
export class TaskRepository {
  private readonly collection: Collection<TaskDoc>;
  private readonly announcements: Collection<AnnouncementDoc>;
  private readonly devices: DeviceRepository;
  /** sessions' final answers, group-committed */
  private readonly settles: WriteBatcher<TaskDoc>;

  constructor(db: Db, devices?: DeviceRepository) {
    this.collection = db.collection<TaskDoc>(COLLECTIONS.tasks);
    this.announcements = db.collection<AnnouncementDoc>(COLLECTIONS.taskAnnouncements);
    this.settles = new WriteBatcher(this.collection);
    this.devices = devices ?? new DeviceRepository(db);
  }

  /**
   * Queues an RPC. The task is written first and then announced on the device: a crash in
   * between leaves a pending task no session knows about, which the reconciler re-announces;
   * the reverse order could announce a task that does not exist.
   */
  async queue(deviceId: string, rpc: AcsRequest, options: QueueOptions = {}): Promise<TaskDoc> {
    const task = newTask(deviceId, rpc, options);
    await this.collection.insertOne(task);
    if (!(await this.devices.enqueueTask(deviceId, task._id))) {
      await this.collection.deleteOne({ _id: task._id });
      throw new UnknownDeviceError(deviceId);
    }
    return task;
  }

  get(id: string): Promise<TaskDoc | null> {
    return this.collection.findOne({ _id: id });
  }

  /**
   * Records an RPC the ACS sent on its own (not as a task) that the device refused, as a task
   * already in fault: it shows in the fault lists, and retrying it queues the same RPC.
   */
  async recordFault(deviceId: string, rpc: AcsRequest, fault: TaskFault, now: Date, createdBy: string): Promise<TaskDoc> {
    const task: TaskDoc = { _id: new ObjectId().toHexString(), deviceId, rpc, status: 'fault', createdAt: now, updatedAt: now, completedAt: now, attempts: 1, sentAt: now, fault, createdBy };
    await this.collection.insertOne(task);
    return task;
  }

  /**
   * Takes a pending, unexpired task for a session without reading it first: a session's usual
   * case in one round trip. Null when the task is in any other state; `get` and `claim` then
   * decide what it is (expired, final, or left in flight by a session that died).
   */
  claimPending(id: string, sessionId: string, now: Date): Promise<TaskDoc | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, status: 'pending', $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: now } }] },
      { $set: { status: 'sent', sessionId, sentAt: now, updatedAt: now }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
  }

  /** Takes a task for a session as it was read: pending, or left in flight by a session that died. */
  claim(task: TaskDoc, sessionId: string, now: Date): Promise<TaskDoc | null> {
    return this.collection.findOneAndUpdate(
      { _id: task._id, status: task.status, attempts: task.attempts, awaiting: { $exists: false } },
      { $set: { status: 'sent', sessionId, sentAt: now, updatedAt: now }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
  }

  /**
   * Records the device's answer to a task the session holds. False if it no longer held it.
   * A final answer joins the other sessions' group commit, and keeps `sessionId`: its filter
   * also matches the task it already settled (same session, status and time), so that the
   * batch, which reports only how many matched, can run it again alone to tell each session.
   */
  async settle(id: string, sessionId: string, outcome: Outcome, now: Date): Promise<boolean> {
    if (outcome.status === 'awaiting') {
      const r = await this.collection.updateOne(
        { _id: id, status: 'sent', sessionId },
        { $set: { awaiting: 'TransferComplete', result: outcome.result, updatedAt: now }, $unset: { sessionId: '' } },
      );
      return r.modifiedCount === 1;
    }
    const filter: Filter<TaskDoc> = { _id: id, sessionId, $or: [{ status: 'sent' }, { status: outcome.status, completedAt: now }] };
    return this.settles.write({ updateOne: { filter, update: { $set: finalFields(outcome, now), $unset: { awaiting: '' } } } });
  }

  /** Closes a transfer task the device reported on with TransferComplete. */
  completeTransfer(id: string, outcome: FinalOutcome, now: Date): Promise<boolean> {
    return this.finish({ _id: id, status: 'sent', awaiting: 'TransferComplete' }, outcome, now);
  }

  /** Marks a task that was not sent before its expiry. */
  async expire(task: TaskDoc, now: Date): Promise<boolean> {
    const r = await this.collection.updateOne(
      { _id: task._id, status: task.status, attempts: task.attempts },
      { $set: { status: 'expired', completedAt: now, updatedAt: now }, $unset: { sessionId: '' } },
    );
    return r.modifiedCount === 1;
  }

  /** Returns a task whose session ended before the device answered to pending. */
  async release(id: string, sessionId: string, now: Date, options: { unsent?: boolean } = {}): Promise<boolean> {
    const r = await this.collection.updateOne(
      { _id: id, status: 'sent', sessionId, awaiting: { $exists: false } },
      // `attempts` counts what reached a device: a claim given back before sending takes its count back.
      { $set: { status: 'pending', updatedAt: now }, $unset: { sessionId: '' }, ...(options.unsent ? { $inc: { attempts: -1 } } : {}) },
    );
    return r.modifiedCount === 1;
  }

  /** Fails an accepted transfer the device can no longer report (e.g. it was reset). */
  abandonTransfer(id: string, reason: string, now: Date): Promise<boolean> {
    return this.finish(
      { _id: id, status: 'sent', awaiting: 'TransferComplete' },
      { status: 'fault', fault: { code: 'transfer_lost', message: reason } },
      now,
    );
  }

  // ------------------------------------------------------------- new and held tasks (API, jobs)

  /**
   * Persists new tasks as they are: held ones (no `releasedAt`: the API's, announced next), a
   * job's as a release tick creates them (already released) or as a cancellation stores
   * those of devices it caught unreleased (cancelled). Ids already stored are skipped and their
   * tasks left as they are, so replaying a batch after a crash inserts nothing twice and resets
   * no task a session has moved on. Returns how many were new.
   */
  async insertNew(tasks: TaskDoc[]): Promise<number> {
    if (!tasks.length) return 0;
    try {
      return (await this.collection.insertMany(tasks, { ordered: false })).insertedCount;
    } catch (err) {
      const writeErrors = err instanceof MongoBulkWriteError ? [err.writeErrors].flat() : [];
      if (writeErrors.length && writeErrors.every((e) => e.code === DUPLICATE_KEY)) return (err as MongoBulkWriteError).insertedCount;
      throw err;
    }
  }

  /**
   * Records, before they are stored, tasks that are stored already released and announced
   * next (the API's): until `announced`, the reconciler can find what a crash left unannounced
   * without a write to every task (`unannounced`). Returns the record's id.
   */
  async announcing(taskIds: string[], now: Date): Promise<string> {
    const _id = new ObjectId().toHexString();
    await this.announcements.insertOne({ _id, taskIds, createdAt: now });
    return _id;
  }

  /** The tasks of an `announcing` record are on their devices' queues (or deleted). */
  async announced(id: string): Promise<void> {
    await this.announcements.deleteOne({ _id: id });
  }

  /** `announcing` records older than `stale`: a crash may have left their tasks unannounced. */
  unannounced(stale: Date, limit: number): Promise<AnnouncementDoc[]> {
    return this.announcements.find({ createdAt: { $lt: stale } }).limit(limit).toArray();
  }

  /** Which of these tasks are still pending (as stored). */
  pendingOf(ids: string[]): Promise<TaskDoc[]> {
    return ids.length ? this.collection.find({ _id: { $in: ids }, status: 'pending' }).toArray() : Promise.resolve([]);
  }

  /** Deletes pending tasks whose device does not exist (they could not be announced). */
  async dropUndeliverable(ids: string[]): Promise<void> {
    if (ids.length) await this.collection.deleteMany({ _id: { $in: ids }, status: 'pending' });
  }

  /**
   * Marks tasks announced on their devices' queues (call after `DeviceRepository.announceTasks`);
   * with `connectionRequest`, a connection request is recorded as queued for them.
   */
  async markReleased(ids: string[], now: Date, connectionRequest = false): Promise<void> {
    const set: Record<string, unknown> = { releasedAt: now, updatedAt: now };
    if (connectionRequest) set.connectionRequest = { status: 'queued', queuedAt: now, attempts: 0 } satisfies ConnectionRequestState;
    // Every task gets the same change: one statement per thousand rather than one per task.
    for (let i = 0; i < ids.length; i += RELEASE_BATCH) {
      await this.collection.updateMany({ _id: { $in: ids.slice(i, i + RELEASE_BATCH) }, status: 'pending', releasedAt: { $exists: false } }, { $set: set });
    }
  }

  /** Records where a connection request for these tasks stands. */
  async recordConnectionRequest(ids: string[], state: Omit<ConnectionRequestState, 'queuedAt'>): Promise<void> {
    if (!ids.length) return;
    const set: Record<string, unknown> = { 'connectionRequest.status': state.status, 'connectionRequest.attempts': state.attempts };
    if (state.at) set['connectionRequest.at'] = state.at;
    const update: UpdateFilter<TaskDoc> = state.message ? { $set: { ...set, 'connectionRequest.message': state.message } } : { $set: set, $unset: { 'connectionRequest.message': '' as const } };
    await this.collection.bulkWrite(
      ids.map((id) => ({ updateOne: { filter: { _id: id, connectionRequest: { $exists: true } }, update } })),
      { ordered: false },
    );
  }

  /** pending → cancelled; the cancelled task, or null when it was not pending. */
  cancel(id: string, now: Date): Promise<TaskDoc | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, status: 'pending' },
      { $set: { status: 'cancelled', completedAt: now, updatedAt: now } },
      { returnDocument: 'after' },
    );
  }

  /**
   * fault → pending, for another attempt: the fault moves to `previousFaults` and the task must
   * be announced again. Null when the task is not (or no longer) in fault.
   */
  async retry(id: string, now: Date, options: { expiresAt?: Date; connectionRequest?: boolean } = {}): Promise<TaskDoc | null> {
    const task = await this.collection.findOne({ _id: id, status: 'fault' });
    if (!task) return null;
    const set: Partial<TaskDoc> = { status: 'pending', updatedAt: now };
    if (options.expiresAt) set.expiresAt = options.expiresAt;
    if (options.connectionRequest) set.connectionRequest = { status: 'queued', queuedAt: now, attempts: 0 };
    const unset: Record<string, ''> = { fault: '', result: '', completedAt: '', faultCleared: '', releasedAt: '', sessionId: '' };
    if (!options.connectionRequest) unset.connectionRequest = '';
    return this.collection.findOneAndUpdate(
      { _id: id, status: 'fault', updatedAt: task.updatedAt },
      { $set: set, $unset: unset, $inc: { retries: 1 }, ...(task.fault ? { $push: { previousFaults: task.fault } } : {}) },
      { returnDocument: 'after' },
    );
  }

  /** Hides a fault from the fault lists; false when the task is not an uncleared fault. */
  async clearFault(id: string, now: Date): Promise<boolean> {
    const r = await this.collection.updateOne({ _id: id, status: 'fault', faultCleared: { $ne: true } }, { $set: { faultCleared: true, updatedAt: now } });
    return r.modifiedCount === 1;
  }

  /** Cancels every pending task of a device (it is being deleted); returns how many. */
  async cancelPendingOfDevice(deviceId: string, now: Date): Promise<number> {
    const r = await this.collection.updateMany({ deviceId, status: 'pending' }, { $set: { status: 'cancelled', completedAt: now, updatedAt: now } });
    return r.modifiedCount;
  }

  /** How many of a job's tasks are in each status. */
  async countByStatus(jobId: string): Promise<Record<TaskStatus, number>> {
    const counts: Record<TaskStatus, number> = { pending: 0, sent: 0, done: 0, fault: 0, expired: 0, cancelled: 0 };
    const groups = await this.collection.aggregate<{ _id: TaskStatus; n: number }>([{ $match: { jobId } }, { $group: { _id: '$status', n: { $sum: 1 } } }]).toArray();
    for (const g of groups) counts[g._id] = g.n;
    return counts;
  }

  private async finish(filter: Record<string, unknown>, outcome: FinalOutcome, now: Date): Promise<boolean> {
    const r = await this.collection.updateOne(filter, { $set: finalFields(outcome, now), $unset: { sessionId: '', awaiting: '' } });
    return r.modifiedCount === 1;
  }

  /** A page of tasks matching `filter`, newest first (ids are ObjectIds, ordered by creation), after `before` when given. */
  page(filter: Filter<TaskDoc>, limit: number, before?: string): Promise<TaskDoc[]> {
    const query = before ? { $and: [filter, { _id: { $lt: before } }] } : filter;
    return this.collection.find(query as Filter<TaskDoc>).sort({ _id: -1 }).limit(limit).toArray();
  }

  /** Faults no operator has cleared yet (the overview's figure). */
  countOpenFaults(): Promise<number> {
    return this.collection.countDocuments({ status: 'fault', faultCleared: { $ne: true } });
  }

  /** The pending tasks of a job, read lazily in batches (cancelling it); leaving the loop early closes the cursor. */
  async *pendingOfJob(jobId: string): AsyncGenerator<Pick<TaskDoc, '_id' | 'deviceId' | 'releasedAt'>> {
    const cursor = this.collection.find({ jobId, status: 'pending' }, { projection: { deviceId: 1, releasedAt: 1 } }).batchSize(1000);
    try {
      for await (const task of cursor) yield task;
    } finally {
      await cursor.close();
    }
  }

  /**
   * Removes a job's tasks that were never announced on a device: those a planning attempt of an
   * earlier version of the ACS stored held before it died part-way (planning stores no task now).
   */
  async dropUnannounced(jobId: string): Promise<void> {
    await this.collection.deleteMany({ jobId, releasedAt: { $exists: false } });
  }

  /**
   * Pending tasks that need a hand, in one query for all three: expired ones; tasks outside a
   * job whose announcement a crash interrupted; connection requests queued that no worker took.
   */
  needingSweep(now: Date, stale: Date, limit: number): Promise<TaskDoc[]> {
    return this.collection
      .find({
        status: 'pending',
        $or: [
          { expiresAt: { $lte: now } },
          { jobId: { $exists: false }, releasedAt: { $exists: false }, updatedAt: { $lt: stale } },
          { releasedAt: { $exists: true }, 'connectionRequest.status': 'queued', 'connectionRequest.queuedAt': { $lt: stale } },
        ],
      })
      .limit(limit)
      .toArray();
  }
}

/** What a final outcome sets on its task. */
function finalFields(outcome: FinalOutcome, now: Date): Partial<TaskDoc> {
  const set: Partial<TaskDoc> = { status: outcome.status, completedAt: now, updatedAt: now };
  if (outcome.result) set.result = outcome.result;
  if (outcome.status === 'fault') set.fault = outcome.fault;
  if (outcome.status === 'done' && outcome.refused?.length) set.refused = outcome.refused;
  return set;
}
