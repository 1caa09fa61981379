import type { JobDeps } from './deps';
import { jobTaskId } from './ids';
import { wakeKey } from './queues';
import { releaseStop, waveEnds } from './waves';
import { CHUNK_SIZE, type JobChunkDoc, type JobDoc } from './types';

/** A release tick hands out this much of a second's worth of devices. */
const TICK_MS = 200;
/** A tick never handles more devices than this, whatever the rate. */
const MAX_BATCH = 1000;
/** A job further behind its pace than this starts a new pace. */
const CATCH_UP_MS = 5000;

/**
 * Releasing: every tick announces the next devices' tasks (pushes their ids on the devices'
 * `taskQueue`), marks them released, queues their connection requests, then moves the job's
 * release position with a compare-and-set and schedules the next tick so that the job keeps
 * its rate. Each step is idempotent, so a tick replayed after a crash (or run twice by two
 * workers) releases nothing twice and the losing worker stops at the compare-and-set.
 */
export class Releaser {
  /** the chunk read last, per job: consecutive ticks mostly read the same one */
  private readonly chunks = new Map<string, JobChunkDoc>();

  constructor(private readonly deps: JobDeps) {}

  async tick(jobId: string, position: number, due: number): Promise<void> {
    const job = await this.deps.jobs.get(jobId);
    if (!job || job.state !== 'releasing' || job.paused || job.release.position !== position || !job.plan) {
      this.chunks.delete(jobId);
      return;
    }
    const total = job.plan.devices;
    if (position >= total) {
      await this.deps.jobs.transition(jobId, ['releasing'], 'released');
      this.chunks.delete(jobId);
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
    const deviceIds = await this.devicesAt(job, position, count);
    let entries = deviceIds.map((deviceId) => ({ deviceId, taskIds: job.rpcs.map((_, i) => jobTaskId(jobId, deviceId, i)) }));
    const now = new Date();
    if ((await this.deps.devices.announceMany(entries)) < entries.length) entries = await this.dropDeleted(entries, now);
    await this.deps.tasks.markReleased(
      entries.flatMap((e) => e.taskIds),
      now,
      job.connectionRequest,
    );
    if (job.connectionRequest) await this.deps.queues.wakeDevices(entries.map((e) => ({ ...e, key: wakeKey({ _id: e.taskIds[0], deviceId: e.deviceId, jobId }) })));
    const next = position + deviceIds.length;
    if (!(await this.deps.jobs.advanceRelease(jobId, position, next, now))) return;
    if (next >= total) {
      await this.deps.jobs.transition(jobId, ['releasing'], 'released');
      this.chunks.delete(jobId);
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

  private async devicesAt(job: JobDoc, position: number, count: number): Promise<string[]> {
    const out: string[] = [];
    let at = position;
    while (out.length < count) {
      const seq = Math.floor(at / CHUNK_SIZE);
      let chunk = this.chunks.get(job._id);
      if (!chunk || chunk.seq !== seq) {
        const loaded = await this.deps.jobs.chunk(job._id, seq);
        if (!loaded) throw new Error(`job ${job._id}: chunk ${seq} of its plan is missing`);
        chunk = loaded;
        this.chunks.set(job._id, chunk);
      }
      const offset = at - seq * CHUNK_SIZE;
      const taken = chunk.deviceIds.slice(offset, offset + (count - out.length));
      if (!taken.length) throw new Error(`job ${job._id}: chunk ${seq} ends before position ${at}`);
      out.push(...taken);
      at += taken.length;
    }
    return out;
  }
}
