import type { TaskDoc } from '../tasks/types';
import type { JobDeps } from './deps';
import type { TaskDispatcher } from './dispatcher';
import { JobCounter, jobProgress } from './progress';
import { wakeKey } from './queues';
import { stopExpired } from './releaser';

export interface JobsReport {
  /** bulk-job steps queued again */
  steps: number;
  /** jobs found finished */
  done: number;
}

export interface SweepReport {
  /** pending tasks whose expiry passed */
  expired: number;
  /** tasks announced that a crash had left held or unannounced */
  announced: number;
  /** connection requests queued again */
  wakes: number;
}

const BATCH = 1000;

/**
 * Rebuilds the queues from MongoDB, the source of truth: after Redis lost its data, or a
 * worker died mid-step, whatever MongoDB says is unfinished and has not moved for `staleMs` is
 * queued again. Every step it queues is idempotent, so a step that was in fact still queued
 * (or running) costs a duplicate that changes nothing. Any number of workers may run it.
 */
export class Reconciler {
  private readonly counter: JobCounter;

  constructor(
    private readonly deps: JobDeps,
    private readonly dispatcher: TaskDispatcher,
    private readonly staleMs: number,
  ) {
    this.counter = new JobCounter(deps.tasks);
  }

  /** Bulk jobs (a small collection): steps no worker is driving any more, and finished jobs. */
  async passJobs(now = Date.now()): Promise<JobsReport> {
    const report: JobsReport = { steps: 0, done: 0 };
    const stale = now - this.staleMs;
    for (const job of await this.deps.jobs.active()) {
      const leased = job.lease && job.lease.until.getTime() > now;
      switch (job.state) {
        case 'planning':
          if (!leased && job.updatedAt.getTime() < stale) {
            await this.deps.queues.plan(job._id, true);
            report.steps += 1;
          }
          break;
        case 'releasing': {
          // Also a paused job, which no tick looks at: past its expiry it will release nothing more.
          if (await stopExpired(this.deps, job, new Date(now))) break;
          // A slow job moves once per tick; only a job idle for several ticks is stuck.
          const tickMs = (Math.max(1, Math.round(job.rate * 0.2)) * 1000) / job.rate;
          if (!job.paused && job.release.updatedAt.getTime() < Math.min(stale, now - 3 * tickMs)) {
            await this.deps.queues.release(job._id, job.release.position, now, true);
            report.steps += 1;
          }
          break;
        }
        case 'released':
          if ((await jobProgress(this.deps, this.counter, job)).status === 'done') report.done += 1;
          break;
        case 'cancelling':
          if (!leased && job.updatedAt.getTime() < stale) {
            await this.deps.queues.cancel(job._id, true);
            report.steps += 1;
          }
          break;
        default:
          break;
      }
    }
    return report;
  }

  /**
   * Pending tasks that need a hand, found in one query of the tasks collection for all three:
   * expired ones are expired; tasks for one device whose announcement a crash interrupted are
   * announced; connection requests recorded as queued that no worker took for a while are
   * queued again. Before that, the tasks of API requests that a crash interrupted between
   * storing and announcing them (their `announcing` record is still there) are announced.
   */
  async sweepTasks(now = new Date()): Promise<SweepReport> {
    const stale = new Date(now.getTime() - this.staleMs);
    const unannounced = await this.announceRecorded(stale);
    const found = await this.deps.tasks.needingSweep(now, stale, BATCH);
    const expired = found.filter((t) => t.expiresAt && t.expiresAt <= now);
    const live = found.filter((t) => !expired.includes(t));
    const held = live.filter((t) => !t.jobId && !t.releasedAt);
    return {
      expired: await this.expire(expired, now),
      announced: unannounced + (await this.announce(held)),
      wakes: await this.wakeAgain(live.filter((t) => t.releasedAt && t.connectionRequest?.status === 'queued')),
    };
  }

  private async expire(tasks: TaskDoc[], now: Date): Promise<number> {
    const byDevice = new Map<string, string[]>();
    for (const task of tasks) {
      if (await this.deps.tasks.expire(task, now)) byDevice.set(task.deviceId, [...(byDevice.get(task.deviceId) ?? []), task._id]);
    }
    await this.deps.devices.dequeueMany([...byDevice].map(([deviceId, taskIds]) => ({ deviceId, taskIds })));
    await Promise.all([...byDevice].flatMap(([deviceId, ids]) => ids.map((_id) => this.deps.taskEnded({ _id, deviceId, status: 'expired' }, now))));
    return [...byDevice.values()].reduce((n, ids) => n + ids.length, 0);
  }

  /** What stale `announcing` records name that is still pending: announced, or dropped if its device is gone. */
  private async announceRecorded(stale: Date): Promise<number> {
    let announced = 0;
    for (const record of await this.deps.tasks.unannounced(stale, BATCH)) {
      const tasks = await this.deps.tasks.pendingOf(record.taskIds);
      const missing = await this.dispatcher.announceStored(tasks);
      announced += tasks.filter((t) => !missing.has(t.deviceId)).length;
      await this.deps.tasks.announced(record._id);
    }
    return announced;
  }

  private async announce(held: TaskDoc[]): Promise<number> {
    for (const task of held) await this.deps.devices.announceTasks(task.deviceId, [task._id]);
    await this.dispatcher.release(held);
    return held.length;
  }

  private async wakeAgain(waiting: TaskDoc[]): Promise<number> {
    const byKey = new Map<string, { key: string; deviceId: string; taskIds: string[] }>();
    for (const task of waiting) {
      const key = wakeKey(task);
      const entry = byKey.get(key) ?? { key, deviceId: task.deviceId, taskIds: [] };
      entry.taskIds.push(task._id);
      byKey.set(key, entry);
    }
    await this.deps.queues.wakeDevices([...byKey.values()]);
    return byKey.size;
  }
}
