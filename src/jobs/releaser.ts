import type { JobDeps } from './deps';
import { releasedTasks } from './job-tasks';
import { PlanReader } from './plan-reader';
import { wakeKey } from './queues';
import { releaseStop, waveEnds } from './waves';
import type { JobDoc } from './types';

/** A release tick hands out this much of a second's worth of devices. */
const TICK_MS = 200;
/**
 * A tick never handles more devices than this, whatever the rate: the devices a tick still
 * in flight may be releasing lie within this many of the job's release position.
 */
export const MAX_BATCH = 1000;
/** A job further behind its pace than this starts a new pace. */
const CATCH_UP_MS = 5000;

/**
 * Releasing: every tick stores the next devices' tasks (created here, from the plan's chunks,
 * already marked released and with their connection requests recorded as queued), announces
 * them (pushes their ids on the devices' `taskQueue`), queues the connection requests, then
 * moves the job's release position with a compare-and-set and schedules the next tick so that
 * the job keeps its rate. Each step is idempotent, so a tick replayed after a crash (or run
 * twice by two workers) releases nothing twice and the losing worker stops at the
 * compare-and-set: task ids are derived from (job, device, RPC), so the replay's inserts of
 * tasks already stored are refused and leave them as they are (a task a session has taken
 * or finished is not reset); announcing adds each id to the queue at most once; the position
 * moves only after all of it, so a tick that died part-way is replayed from the same devices
 * and loses none. Tasks are stored before they are announced, so a session never finds an id
 * without its task; a crash in between leaves them stored but unannounced until the replay.
 * A job past its expiry releases no further device (see `stopExpired`).
 */
export class Releaser {
  private readonly plan: PlanReader;

  constructor(private readonly deps: JobDeps) {
    this.plan = new PlanReader(deps.jobs);
  }

  async tick(jobId: string, position: number, due: number): Promise<void> {
    const job = await this.deps.jobs.get(jobId);
    if (!job || job.state !== 'releasing' || job.paused || job.release.position !== position || !job.plan) {
      this.plan.forget(jobId);
      return;
    }
    const total = job.plan.devices;
    if (position >= total) {
      await this.deps.jobs.transition(jobId, ['releasing'], 'released');
      this.plan.forget(jobId);
      return;
    }
    if (await stopExpired(this.deps, job, new Date())) {
      this.plan.forget(jobId);
      return;
    }
    // A tick that runs late also releases what fell due meanwhile, up to twice its share, so
    // the job keeps its average rate without bursting; a job far behind (after a crash) starts
    // a new pace instead.
    const start = Date.now() - due > CATCH_UP_MS ? Date.now() : due;
    const share = Math.max(1, Math.round((job.rate * TICK_MS) / 1000));
    const owed = Math.round((job.rate * (TICK_MS + Math.max(0, Date.now() - start))) / 1000);
    const stop = releaseStop(waveEnds(job.waves, total), position, total);
    const count = Math.min(MAX_BATCH, stop - position, Math.max(share, Math.min(owed, 2 * share)));
    const deviceIds = await this.plan.devicesAt(job, position, count);
    const now = new Date();
    const tasks = releasedTasks(job, deviceIds, now);
    // Fewer new than asked: a replay, or a job planned by an ACS that stored its tasks held at planning.
    if ((await this.deps.tasks.insertNew(tasks)) < tasks.length) await this.deps.tasks.markReleased(tasks.map((t) => t._id), now, job.connectionRequest);
    let entries = deviceIds.map((deviceId, i) => ({ deviceId, taskIds: tasks.slice(i * job.rpcs.length, (i + 1) * job.rpcs.length).map((t) => t._id) }));
    if ((await this.deps.devices.announceMany(entries)) < entries.length) entries = await this.dropDeleted(entries, now);
    if (job.connectionRequest) await this.deps.queues.wakeDevices(entries.map((e) => ({ ...e, key: wakeKey({ _id: e.taskIds[0], deviceId: e.deviceId, jobId }) })));
    const next = position + deviceIds.length;
    if (!(await this.deps.jobs.advanceRelease(jobId, position, next, now))) return;
    if (next >= total) {
      await this.deps.jobs.transition(jobId, ['releasing'], 'released');
      this.plan.forget(jobId);
      return;
    }
    // A wave is out: the job waits for an operator to resume it (which queues the next tick).
    if (next === stop) {
      await this.deps.jobs.setPaused(jobId, true, now);
      this.deps.log.info({ event: 'job.wave_released', jobId, released: next, devices: total }, 'wave released; job paused until resumed');
      return;
    }
    // Paced from when this tick was due, not when it ran, so delays do not add up.
    await this.deps.queues.release(jobId, next, start + (deviceIds.length * 1000) / job.rate);
  }

  /** Devices deleted since planning: their tasks are cancelled instead of released. */
  private async dropDeleted(entries: Array<{ deviceId: string; taskIds: string[] }>, now: Date): Promise<Array<{ deviceId: string; taskIds: string[] }>> {
    const exists = await Promise.all(entries.map((e) => this.deps.devices.get(e.deviceId, { _id: 1 })));
    const gone = entries.filter((_, i) => !exists[i]);
    for (const e of gone) for (const id of e.taskIds) await this.deps.tasks.cancel(id, now);
    return entries.filter((_, i) => exists[i]);
  }
}

/**
 * A job whose expiry passed releases no further device: its devices not released yet would
 * only expire on arrival, so they are never stored and count as expired (see `jobCounts`);
 * releasing → released, so that the job is done once its released tasks are final. True when
 * the job has expired (whoever moved it). Also the reconciler's, for jobs paused past expiry.
 */
export async function stopExpired(deps: Pick<JobDeps, 'jobs' | 'log'>, job: JobDoc, now: Date): Promise<boolean> {
  if (!job.expiresAt || job.expiresAt > now) return false;
  if (await deps.jobs.transition(job._id, ['releasing'], 'released')) {
    deps.log.info({ event: 'job.expired_unreleased', jobId: job._id, released: job.release.position, devices: job.plan?.devices }, 'job expired before releasing all its devices; the rest count as expired');
  }
  return true;
}
