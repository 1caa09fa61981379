import { ObjectId, type Collection, type Db } from 'mongodb';
import type { AcsRequest } from '../cwmp/soap/types';
import { DeviceRepository } from '../devices/repository';
import type { FinalOutcome, Outcome } from './outcome';
import type { TaskDoc, TaskStatus } from './types';

export class UnknownDeviceError extends Error {
  constructor(readonly deviceId: string) {
    super(`unknown device ${deviceId}`);
    this.name = 'UnknownDeviceError';
  }
}

export interface QueueOptions {
  expiresAt?: Date;
  jobId?: string;
  expect?: TaskDoc['expect'];
  now?: Date;
}

/**
 * The `tasks` collection: RPCs queued for devices and their outcomes. A task id is also
 * pushed onto its device's `taskQueue`, so a session learns what is waiting from the device
 * document it reads anyway. Every state change is a compare-and-set on `_id` + status, so two
 * actors (a session and the API, two replicas) can never both move a task.
 */
export class TaskRepository {
  readonly collection: Collection<TaskDoc>;
  private readonly devices: DeviceRepository;

  constructor(db: Db) {
    this.collection = db.collection<TaskDoc>('tasks');
    this.devices = new DeviceRepository(db);
  }

  /**
   * Queues an RPC. The task is written first and then announced on the device: a crash in
   * between leaves a pending task no session knows about, which the reconciler re-announces;
   * the reverse order could announce a task that does not exist.
   */
  async queue(deviceId: string, rpc: AcsRequest, options: QueueOptions = {}): Promise<TaskDoc> {
    const now = options.now ?? new Date();
    const task: TaskDoc = {
      _id: new ObjectId().toHexString(),
      deviceId,
      rpc,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
      attempts: 0,
      ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
      ...(options.jobId ? { jobId: options.jobId } : {}),
      ...(options.expect ? { expect: options.expect } : {}),
    };
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

  /** Takes a task for a session: pending, or left in flight by a session that died. */
  claim(task: TaskDoc, sessionId: string, now: Date): Promise<TaskDoc | null> {
    return this.collection.findOneAndUpdate(
      { _id: task._id, status: task.status, attempts: task.attempts, awaiting: { $exists: false } },
      { $set: { status: 'sent', sessionId, sentAt: now, updatedAt: now }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
  }

  /** Records the device's answer to a task the session holds. False if it no longer held it. */
  async settle(id: string, sessionId: string, outcome: Outcome, now: Date): Promise<boolean> {
    const filter = { _id: id, status: 'sent' as TaskStatus, sessionId };
    if (outcome.status === 'awaiting') {
      const r = await this.collection.updateOne(filter, {
        $set: { awaiting: 'TransferComplete', result: outcome.result, updatedAt: now },
        $unset: { sessionId: '' },
      });
      return r.modifiedCount === 1;
    }
    return this.finish(filter, outcome, now);
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
  async release(id: string, sessionId: string, now: Date): Promise<boolean> {
    const r = await this.collection.updateOne(
      { _id: id, status: 'sent', sessionId, awaiting: { $exists: false } },
      { $set: { status: 'pending', updatedAt: now }, $unset: { sessionId: '' } },
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

  private async finish(filter: Record<string, unknown>, outcome: FinalOutcome, now: Date): Promise<boolean> {
    const set: Partial<TaskDoc> = { status: outcome.status, completedAt: now, updatedAt: now };
    if (outcome.result) set.result = outcome.result;
    if (outcome.status === 'fault') set.fault = outcome.fault;
    const r = await this.collection.updateOne(filter, { $set: set, $unset: { sessionId: '', awaiting: '' } });
    return r.modifiedCount === 1;
  }
}
