import type { Collection, Db } from 'mongodb';
import type { VersionCount } from '../console/fleet-stats';
import { COLLECTIONS } from '../stores/collections';

export const VERSION_SNAPSHOTS_COLLECTION = COLLECTIONS.versionSnapshots;

/** One snapshot: devices per product class and software version at `at`. */
export interface VersionSnapshotDoc {
  /** ISO start of the interval the snapshot stands for: one per interval, whoever took it */
  _id: string;
  at: Date;
  counts: VersionCount[];
}

/** The start of the interval (of `seconds`, aligned to the epoch) that `now` falls in. Pure. */
export function intervalStart(now: Date, seconds: number): Date {
  const ms = seconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** Most snapshots one history answer holds (the most recent of the range). */
export const MAX_POINTS = 1000;

/**
 * The distribution of software versions over time, which the live counters (FleetStats) do
 * not keep: the worker records them once per interval; the console charts them.
 */
export class VersionHistory {
  readonly collection: Collection<VersionSnapshotDoc>;

  constructor(db: Db) {
    this.collection = db.collection<VersionSnapshotDoc>(VERSION_SNAPSHOTS_COLLECTION);
  }

  /**
   * Records the counts for the interval `now` falls in, unless a snapshot of it exists (another
   * worker, or this one, took it already): true when this call stored one.
   */
  async record(now: Date, intervalSeconds: number, counts: () => Promise<VersionCount[]>): Promise<boolean> {
    const _id = intervalStart(now, intervalSeconds).toISOString();
    if (await this.collection.findOne({ _id }, { projection: { _id: 1 } })) return false;
    const doc: VersionSnapshotDoc = { _id, at: now, counts: await counts() };
    return this.collection.insertOne(doc).then(
      () => true,
      (err: { code?: number }) => {
        if (err.code === 11000) return false;
        throw err;
      },
    );
  }

  /** Drops snapshots of intervals that started before `before`. */
  async prune(before: Date): Promise<number> {
    return (await this.collection.deleteMany({ _id: { $lt: before.toISOString() } })).deletedCount;
  }

  /** Snapshots from `since` on, oldest first, only the counts of `productClass` when given. */
  async history(since: Date, productClass?: string): Promise<VersionSnapshotDoc[]> {
    const docs = await this.collection
      .find({ _id: { $gte: since.toISOString() } })
      .sort({ _id: -1 })
      .limit(MAX_POINTS)
      .toArray();
    return docs.reverse().map((d) => (productClass === undefined ? d : { ...d, counts: d.counts.filter((c) => c.productClass === productClass) }));
  }
}
