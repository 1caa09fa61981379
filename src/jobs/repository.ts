import type { Collection, Db, Filter } from 'mongodb';
import { chunkId } from './ids';
import type { JobChunkDoc, JobDoc, JobState } from './types';
import { COLLECTIONS } from '../stores/collections';

/**
 * The `jobs` and `job_chunks` collections. State changes are compare-and-set on `_id` plus
 * the state (or the release position) they start from, so workers racing on a job never both
 * move it.
 */
export class JobRepository {
  private readonly collection: Collection<JobDoc>;
  readonly chunks: Collection<JobChunkDoc>;

  constructor(db: Db) {
    this.collection = db.collection<JobDoc>(COLLECTIONS.jobs);
    this.chunks = db.collection<JobChunkDoc>(COLLECTIONS.jobChunks);
  }

  async create(job: JobDoc): Promise<void> {
    await this.collection.insertOne(job);
  }

  get(id: string): Promise<JobDoc | null> {
    return this.collection.findOne({ _id: id });
  }

  /** Newest first; `limit + 1` rows so the caller knows whether more follow. */
  list(before: string | undefined, limit: number): Promise<JobDoc[]> {
    const filter: Filter<JobDoc> = before ? { _id: { $lt: before } } : {};
    return this.collection.find(filter).sort({ _id: -1 }).limit(limit + 1).toArray();
  }

  /** Jobs a worker may still have to drive. */
  active(): Promise<JobDoc[]> {
    return this.collection.find({ state: { $in: ['planning', 'releasing', 'released', 'cancelling'] } }).limit(10_000).toArray();
  }

  /** Takes (or renews) the job's lease when it is in one of `states` and no other live worker holds it. */
  acquireLease(id: string, owner: string, ms: number, states: JobState[], now = new Date()): Promise<JobDoc | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, state: { $in: states }, $or: [{ lease: { $exists: false } }, { 'lease.until': { $lt: now } }, { 'lease.owner': owner }] },
      { $set: { lease: { owner, until: new Date(now.getTime() + ms) } } },
      { returnDocument: 'after' },
    );
  }

  /** Extends a lease this owner holds while the job is still in `state`; false when it was lost. */
  async renewLease(id: string, owner: string, ms: number, state: JobState, now = new Date()): Promise<boolean> {
    const r = await this.collection.updateOne({ _id: id, state, 'lease.owner': owner }, { $set: { 'lease.until': new Date(now.getTime() + ms) } });
    return r.matchedCount === 1;
  }

  async dropLease(id: string, owner: string): Promise<void> {
    await this.collection.updateOne({ _id: id, 'lease.owner': owner }, { $unset: { lease: '' } });
  }

  /** Counts a planning attempt (a worker that finds attempts > 1 cleans up first). */
  async startPlanning(id: string, owner: string): Promise<JobDoc | null> {
    return this.collection.findOneAndUpdate({ _id: id, state: 'planning', 'lease.owner': owner }, { $inc: { planAttempts: 1 } }, { returnDocument: 'after' });
  }

  /** Stores chunk `seq` of the plan (replacing what a crashed attempt left). */
  async saveChunk(jobId: string, seq: number, deviceIds: string[]): Promise<void> {
    await this.chunks.replaceOne({ _id: chunkId(jobId, seq) }, { jobId, seq, deviceIds }, { upsert: true });
  }

  chunk(jobId: string, seq: number): Promise<JobChunkDoc | null> {
    return this.chunks.findOne({ _id: chunkId(jobId, seq) });
  }

  async dropChunks(jobId: string): Promise<void> {
    await this.chunks.deleteMany({ jobId });
  }

  /** planning → releasing with the plan's size; the job as it is now, or null if the lease was lost. */
  finishPlanning(id: string, owner: string, plan: { devices: number; chunks: number }, now = new Date()): Promise<JobDoc | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, state: 'planning', 'lease.owner': owner },
      { $set: { state: 'releasing', plan, 'release.updatedAt': now, updatedAt: now }, $unset: { lease: '' } },
      { returnDocument: 'after' },
    );
  }

  /** Moves the release position from `from` to `to`; false when another worker moved it first. */
  async advanceRelease(id: string, from: number, to: number, now = new Date()): Promise<boolean> {
    const r = await this.collection.updateOne(
      { _id: id, state: 'releasing', 'release.position': from },
      { $set: { 'release.position': to, 'release.updatedAt': now, updatedAt: now } },
    );
    return r.modifiedCount === 1;
  }

  async setPaused(id: string, paused: boolean, now = new Date()): Promise<JobDoc | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, paused: !paused, state: { $in: ['planning', 'releasing'] } },
      { $set: { paused, updatedAt: now, 'release.updatedAt': now } },
      { returnDocument: 'after' },
    );
  }

  /** Moves the job from one of `from` to `to`; the job after the move, or null. A final state freezes `counts`. */
  transition(id: string, from: JobState[], to: JobState, counts?: JobDoc['counts'], now = new Date()): Promise<JobDoc | null> {
    const final = to === 'done' || to === 'cancelled';
    return this.collection.findOneAndUpdate(
      { _id: id, state: { $in: from } },
      final ? { $set: { state: to, updatedAt: now, finishedAt: now, ...(counts ? { counts } : {}) }, $unset: { lease: '' } } : { $set: { state: to, updatedAt: now } },
      { returnDocument: 'after' },
    );
  }

  countInStates(states: readonly JobState[]): Promise<number> {
    return this.collection.countDocuments({ state: { $in: [...states] } });
  }
}
