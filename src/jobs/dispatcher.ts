import type { AcsRequest } from '../cwmp/soap/types';
import { GroupCommit } from '../stores/group-commit';
import { newTask } from '../tasks/new-task';
import { UnknownDeviceError } from '../tasks/repository';
import type { TaskDoc } from '../tasks/types';
import type { JobDeps } from './deps';
import { wakeKey } from './queues';

export interface DispatchOptions {
  expiresAt: Date;
  connectionRequest: boolean;
  expect?: TaskDoc['expect'];
  createdBy: string;
}

/** Most tasks one store round trip of `queueMany` carries. */
const BATCH = 1000;
/**
 * Batches of one `queueMany` in flight at once: while the store writes one, the next is
 * prepared and sent, so the ACS's work and the store's overlap.
 */
const BATCHES_IN_FLIGHT = 2;

/**
 * Tasks an operator queues. Each is stored already released, after a record naming it
 * (`TaskRepository.announcing`), then announced on the device's queue, and the record deleted;
 * a crash in between leaves the record, from which the reconciler announces what it names
 * (`announceStored`). Marking each task released after its announcement would be one more
 * write per task. A connection request, if asked, is queued last: if Redis does not take it,
 * the task records it as queued and the reconciler sends it. Tasks queued one by one at the
 * same time share those writes (a group commit), so a burst of single requests costs the
 * store a few bulk writes rather than several round trips each.
 */
export class TaskDispatcher {
  private readonly singles = new GroupCommit<TaskDoc, TaskDoc | UnknownDeviceError>((tasks) => this.queueBatch(tasks));

  constructor(private readonly deps: Pick<JobDeps, 'tasks' | 'devices' | 'queues' | 'log' | 'taskEnded'>) {}

  async queue(deviceId: string, rpc: AcsRequest, options: DispatchOptions): Promise<TaskDoc> {
    const queued = await this.singles.add(newTask(deviceId, rpc, options));
    if (queued instanceof UnknownDeviceError) throw queued;
    return queued;
  }

  /** One task per device for one RPC; the tasks queued, and the devices that do not exist. */
  async queueMany(deviceIds: string[], rpc: AcsRequest, options: DispatchOptions): Promise<{ queued: TaskDoc[]; unknown: string[] }> {
    const batches: Array<Array<TaskDoc | UnknownDeviceError>> = [];
    let next = 0;
    let failure: { err: unknown } | undefined;
    // after a failed batch no other starts, and the request ends only once the one in flight has
    const worker = async () => {
      for (let b = next++; !failure && b * BATCH < deviceIds.length; b = next++) {
        try {
          batches[b] = await this.queueBatch(deviceIds.slice(b * BATCH, (b + 1) * BATCH).map((deviceId) => newTask(deviceId, rpc, options)));
        } catch (err) {
          failure ??= { err };
        }
      }
    };
    await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, worker));
    if (failure) throw failure.err;
    const out: { queued: TaskDoc[]; unknown: string[] } = { queued: [], unknown: [] };
    for (const r of batches.flat()) {
      if (r instanceof UnknownDeviceError) out.unknown.push(r.deviceId);
      else out.queued.push(r);
    }
    return out;
  }

  /**
   * Stores and announces new tasks in bulk; per task, the task as stored or the error naming
   * its unknown device.
   */
  private async queueBatch(batch: TaskDoc[]): Promise<Array<TaskDoc | UnknownDeviceError>> {
    const now = new Date();
    const tasks = batch.map((t) => ({ ...t, releasedAt: now, updatedAt: now }));
    const record = await this.deps.tasks.announcing(
      tasks.map((t) => t._id),
      now,
    );
    await this.deps.tasks.insertNew(tasks);
    const missing = await this.announceStored(tasks);
    await this.wake(tasks.filter((t) => !missing.has(t.deviceId)));
    await this.deps.tasks.announced(record);
    return tasks.map((t) => (missing.has(t.deviceId) ? new UnknownDeviceError(t.deviceId) : t));
  }

  /**
   * Announces stored tasks on their devices' queues and deletes those of devices that do not
   * exist; returns those devices. Only when fewer devices took their tasks than were asked is
   * it read which exist. Idempotent: also the reconciler's, for what a crash left unannounced.
   */
  async announceStored(tasks: TaskDoc[]): Promise<Set<string>> {
    const entries = byDevice(tasks);
    const matched = await this.deps.devices.announceMany(entries);
    if (matched === entries.length) return new Set();
    const existing = await this.deps.devices.existing(entries.map((e) => e.deviceId));
    // A device created meanwhile may exist unannounced: announcing again changes nothing for the rest.
    if (matched < existing.size) await this.deps.devices.announceMany(entries.filter((e) => existing.has(e.deviceId)));
    const missing = new Set(entries.filter((e) => !existing.has(e.deviceId)).map((e) => e.deviceId));
    await this.deps.tasks.dropUndeliverable(tasks.filter((t) => missing.has(t.deviceId)).map((t) => t._id));
    return missing;
  }

  /** Queues a faulted task again; null when it is not in fault. */
  async retry(taskId: string, options: { expiresAt?: Date; connectionRequest: boolean }): Promise<TaskDoc | null> {
    const task = await this.deps.tasks.retry(taskId, new Date(), options);
    if (!task) return null;
    await this.deps.devices.announceTasks(task.deviceId, [task._id]);
    await this.release([task]);
    return (await this.deps.tasks.get(task._id)) ?? task;
  }

  /** pending → cancelled, off the device's queue; null when the task was not pending. */
  async cancel(taskId: string): Promise<TaskDoc | null> {
    const now = new Date();
    const task = await this.deps.tasks.cancel(taskId, now);
    if (!task) return null;
    await this.deps.devices.dequeueTasks(task.deviceId, [task._id]);
    await this.deps.taskEnded(task, now);
    return task;
  }

  /**
   * Marks announced tasks released and queues the connection requests they ask for. Also the
   * reconciler's way to finish what a crash interrupted (tasks held by a retry, or stored
   * held by an ACS older than `announcing`).
   */
  async release(tasks: TaskDoc[]): Promise<void> {
    await this.deps.tasks.markReleased(
      tasks.map((t) => t._id),
      new Date(),
    );
    await this.wake(tasks);
  }

  /** Queues the connection requests these announced tasks ask for. */
  private async wake(tasks: TaskDoc[]): Promise<void> {
    const wake = tasks.filter((t) => t.connectionRequest?.status === 'queued');
    try {
      await this.deps.queues.wakeDevices(wake.map((t) => ({ key: wakeKey(t), deviceId: t.deviceId, taskIds: [t._id] })));
    } catch (err) {
      this.deps.log.warn({ event: 'task.wake_not_queued', err: (err as Error).message, tasks: wake.length }, 'connection request not queued; the reconciler will send it');
    }
  }
}

/** The tasks' ids per device, in first-seen order. */
function byDevice(tasks: TaskDoc[]): Array<{ deviceId: string; taskIds: string[] }> {
  const map = new Map<string, string[]>();
  for (const t of tasks) map.set(t.deviceId, [...(map.get(t.deviceId) ?? []), t._id]);
  return [...map].map(([deviceId, taskIds]) => ({ deviceId, taskIds }));
}
