import { ObjectId } from 'mongodb';
import type { SessionTasks } from '../../../src/cwmp/session/ports';
import type { AcsRequest } from '../../../src/cwmp/soap/types';
import { newTask, type QueueOptions } from '../../../src/tasks/new-task';
import type { FinalOutcome, Outcome } from '../../../src/tasks/outcome';
import { UnknownDeviceError } from '../../../src/tasks/repository';
import type { TaskDoc, TaskFault } from '../../../src/tasks/types';
import { copy } from './documents';
import type { MemoryDevices } from './devices';

/**
 * TaskRepository in memory: every transition a compare-and-set on the task's current state,
 * queued ids announced on the device's queue (test/integration/stores/conformance/tasks.test.ts
 * holds both to one contract).
 */
export class MemoryTasks implements SessionTasks {
  private readonly docs = new Map<string, TaskDoc>();

  constructor(private readonly devices: MemoryDevices) {}

  async queue(deviceId: string, rpc: AcsRequest, options: QueueOptions = {}): Promise<TaskDoc> {
    const task = newTask(deviceId, rpc, options);
    this.docs.set(task._id, copy(task));
    if (!(await this.devices.enqueueTask(deviceId, task._id))) {
      this.docs.delete(task._id);
      throw new UnknownDeviceError(deviceId);
    }
    return task;
  }

  async get(id: string): Promise<TaskDoc | null> {
    const doc = this.docs.get(id);
    return doc ? copy(doc) : null;
  }

  async recordFault(deviceId: string, rpc: AcsRequest, fault: TaskFault, now: Date, createdBy: string): Promise<TaskDoc> {
    const task: TaskDoc = { _id: new ObjectId().toHexString(), deviceId, rpc, status: 'fault', createdAt: now, updatedAt: now, completedAt: now, attempts: 1, sentAt: now, fault, createdBy };
    this.docs.set(task._id, copy(task));
    return task;
  }

  async claimPending(id: string, sessionId: string, now: Date): Promise<TaskDoc | null> {
    const doc = this.docs.get(id);
    if (!doc || doc.status !== 'pending' || (doc.expiresAt && doc.expiresAt <= now)) return null;
    Object.assign(doc, { status: 'sent', sessionId, sentAt: now, updatedAt: now, attempts: doc.attempts + 1 });
    return copy(doc);
  }

  async claim(task: TaskDoc, sessionId: string, now: Date): Promise<TaskDoc | null> {
    const doc = this.docs.get(task._id);
    if (!doc || doc.status !== task.status || doc.attempts !== task.attempts || doc.awaiting !== undefined) return null;
    Object.assign(doc, { status: 'sent', sessionId, sentAt: now, updatedAt: now, attempts: doc.attempts + 1 });
    return copy(doc);
  }

  async settle(id: string, sessionId: string, outcome: Outcome, now: Date): Promise<boolean> {
    const doc = this.docs.get(id);
    if (!doc || doc.sessionId !== sessionId) return false;
    if (outcome.status !== 'awaiting') {
      // the same answer stored again (a group commit's run alone) is still this session's
      if (doc.status === outcome.status && doc.completedAt?.getTime() === now.getTime()) return true;
      if (doc.status !== 'sent') return false;
      this.finish(doc, outcome, now);
      doc.sessionId = sessionId;
      return true;
    }
    if (doc.status !== 'sent') return false;
    Object.assign(doc, { awaiting: 'TransferComplete', result: copy(outcome.result), updatedAt: now });
    delete doc.sessionId;
    return true;
  }

  async completeTransfer(id: string, outcome: FinalOutcome, now: Date): Promise<boolean> {
    const doc = this.docs.get(id);
    return !!doc && doc.status === 'sent' && doc.awaiting === 'TransferComplete' && this.finish(doc, outcome, now);
  }

  async expire(task: TaskDoc, now: Date): Promise<boolean> {
    const doc = this.docs.get(task._id);
    if (!doc || doc.status !== task.status || doc.attempts !== task.attempts) return false;
    Object.assign(doc, { status: 'expired', completedAt: now, updatedAt: now });
    delete doc.sessionId;
    return true;
  }

  async release(id: string, sessionId: string, now: Date, options: { unsent?: boolean } = {}): Promise<boolean> {
    const doc = this.docs.get(id);
    if (!doc || doc.status !== 'sent' || doc.sessionId !== sessionId || doc.awaiting !== undefined) return false;
    Object.assign(doc, { status: 'pending', updatedAt: now, attempts: doc.attempts - (options.unsent ? 1 : 0) });
    delete doc.sessionId;
    return true;
  }

  async abandonTransfer(id: string, reason: string, now: Date): Promise<boolean> {
    return this.completeTransfer(id, { status: 'fault', fault: { code: 'transfer_lost', message: reason } }, now);
  }

  async cancel(id: string, now: Date): Promise<TaskDoc | null> {
    const doc = this.docs.get(id);
    if (!doc || doc.status !== 'pending') return null;
    Object.assign(doc, { status: 'cancelled', completedAt: now, updatedAt: now });
    return copy(doc);
  }

  private finish(doc: TaskDoc, outcome: FinalOutcome, now: Date): boolean {
    Object.assign(doc, { status: outcome.status, completedAt: now, updatedAt: now });
    if (outcome.result) doc.result = copy(outcome.result);
    if (outcome.status === 'fault') doc.fault = copy(outcome.fault);
    if (outcome.status === 'done' && outcome.refused?.length) doc.refused = copy(outcome.refused);
    delete doc.sessionId;
    delete doc.awaiting;
    return true;
  }
}
