import type { AcsRequest } from '../cwmp/soap/types';
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

/**
 * Tasks an operator queues for one device. Each is persisted first (held), then announced on
 * the device's queue, then marked released; a crash in between leaves a held task that the
 * reconciler announces. A connection request, if asked, is queued last: if Redis does not take
 * it, the task records it as queued and the reconciler sends it.
 */
export class TaskDispatcher {
  constructor(private readonly deps: Pick<JobDeps, 'tasks' | 'devices' | 'queues' | 'log' | 'taskEnded'>) {}

  async queue(deviceId: string, rpc: AcsRequest, options: DispatchOptions): Promise<TaskDoc> {
    const task = newTask(deviceId, rpc, options);
    await this.deps.tasks.insertHeld([task]);
    if (!(await this.deps.devices.announceTasks(deviceId, [task._id]))) {
      await this.deps.tasks.collection.deleteOne({ _id: task._id });
      throw new UnknownDeviceError(deviceId);
    }
    await this.release([task]);
    return (await this.deps.tasks.get(task._id)) ?? task;
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
   * reconciler's way to finish what a crash interrupted.
   */
  async release(tasks: TaskDoc[]): Promise<void> {
    await this.deps.tasks.markReleased(
      tasks.map((t) => t._id),
      new Date(),
    );
    const wake = tasks.filter((t) => t.connectionRequest?.status === 'queued');
    try {
      await this.deps.queues.wakeDevices(wake.map((t) => ({ key: wakeKey(t), deviceId: t.deviceId, taskIds: [t._id] })));
    } catch (err) {
      this.deps.log.warn({ event: 'task.wake_not_queued', err: (err as Error).message, tasks: wake.length }, 'connection request not queued; the reconciler will send it');
    }
  }
}
