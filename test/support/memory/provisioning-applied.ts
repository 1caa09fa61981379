import type { AppliedDoc, AppliedFiles, DeliveredFile } from '../../../src/provisioning/stores/applied';
import { copy } from './documents';

/** AppliedStore in memory (the provisioning-applied conformance contract holds both to one behaviour). */
export class MemoryAppliedFiles implements AppliedFiles {
  private readonly docs = new Map<string, AppliedDoc>();

  async get(deviceId: string): Promise<AppliedDoc | undefined> {
    const doc = this.docs.get(deviceId);
    return doc && copy(doc);
  }

  async pending(deviceId: string, pending: NonNullable<AppliedDoc['pending']>): Promise<void> {
    this.docs.set(deviceId, { ...(this.docs.get(deviceId) ?? { _id: deviceId }), pending: copy(pending) });
  }

  async delivered(deviceId: string, taskId: string): Promise<{ before?: DeliveredFile; now: DeliveredFile } | undefined> {
    const doc = this.docs.get(deviceId);
    if (!doc?.pending || doc.pending.taskId !== taskId) return undefined;
    const { taskId: _taskId, ...now } = doc.pending;
    const before = doc.file;
    this.docs.set(deviceId, { _id: deviceId, file: now });
    return copy({ ...(before ? { before } : {}), now });
  }

  async dropPending(deviceId: string, taskId: string): Promise<void> {
    const doc = this.docs.get(deviceId);
    if (doc?.pending?.taskId !== taskId) return;
    const { pending: _pending, ...rest } = doc;
    this.docs.set(deviceId, rest);
  }
}
