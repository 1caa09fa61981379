import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { Actor, AnonymousActor, DeviceActor } from '../auth';
import { COLLECTIONS } from '../stores/collections';
import { GroupCommit } from '../stores/group-commit';

/** One operator action: who, what, when, on what, and how it ended. */
export interface AuditDoc {
  /** ObjectId hex: ordered by time, the key of keyset pagination */
  _id: string;
  at: Date;
  /** a token or user; anonymous for failed sign-ins */
  actor: Actor | AnonymousActor | DeviceActor;
  /** e.g. `device.delete`, `job.create` */
  action: string;
  /** the device, task, job or token acted on */
  target?: string;
  method: string;
  path: string;
  /** HTTP status of the answer */
  status: number;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  /** a token id (16 hex digits) or the name of a token, user, or tried sign-in */
  actor?: string;
  action?: string;
  target?: string;
  /** entries older than this id (the previous page's last) */
  before?: string;
  /** entries at or after `from` and before `to` */
  from?: Date;
  to?: Date;
  limit: number;
}

const TOKEN_ID = /^[0-9a-f]{16}$/;

/** Most entries one store write carries. */
const WRITE_BATCH = 500;

/**
 * The audit log in MongoDB. Entries are written before the API answers, never updated, and
 * read newest first. Entries of requests answered together share one `insertMany`.
 */
export class AuditLog {
  readonly collection: Collection<AuditDoc>;
  private readonly writes = new GroupCommit(async (docs: AuditDoc[]) => {
    await this.collection.insertMany(docs);
    return docs;
  }, WRITE_BATCH);

  constructor(db: Db) {
    this.collection = db.collection<AuditDoc>(COLLECTIONS.audit);
  }

  record(entry: Omit<AuditDoc, '_id' | 'at'>, now = new Date()): Promise<AuditDoc> {
    return this.writes.add({ _id: new ObjectId().toHexString(), at: now, ...entry });
  }

  /** A page, newest first; `limit + 1` rows are read so the caller knows whether more follow. */
  list(q: AuditQuery): Promise<AuditDoc[]> {
    const filter: Filter<AuditDoc> = {};
    if (q.actor) filter.$or = TOKEN_ID.test(q.actor) ? [{ 'actor.tokenId': q.actor }, { 'actor.name': q.actor }] : [{ 'actor.name': q.actor }];
    if (q.action) filter.action = q.action;
    if (q.target) filter.target = q.target;
    if (q.before) filter._id = { $lt: q.before };
    if (q.from || q.to) filter.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
    return this.collection.find(filter).sort({ _id: -1 }).limit(q.limit + 1).toArray();
  }
}
