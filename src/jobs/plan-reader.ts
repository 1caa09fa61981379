import type { JobRepository } from './repository';
import { CHUNK_SIZE, type JobChunkDoc, type JobDoc } from './types';

/** A job's planned devices by release position, read from its chunks. */
export class PlanReader {
  /** the chunk read last, per job: consecutive ticks mostly read the same one */
  private readonly chunks = new Map<string, JobChunkDoc>();

  constructor(private readonly jobs: Pick<JobRepository, 'chunk'>) {}

  /** The `count` devices from `position` on; the plan must hold them. */
  async devicesAt(job: Pick<JobDoc, '_id'>, position: number, count: number): Promise<string[]> {
    const out: string[] = [];
    let at = position;
    while (out.length < count) {
      const seq = Math.floor(at / CHUNK_SIZE);
      let chunk = this.chunks.get(job._id);
      if (!chunk || chunk.seq !== seq) {
        const loaded = await this.jobs.chunk(job._id, seq);
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

  forget(jobId: string): void {
    this.chunks.delete(jobId);
  }
}
