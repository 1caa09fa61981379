import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { GroupCommit } from '../stores/group-commit';
import { readByIds } from '../stores/read-by-ids';
import type { Actor } from './actor';
import type { ApiRole } from './roles';
import { COLLECTIONS } from '../stores/collections';

/**
 * API tokens. A token is `acs_<id>_<secret>`: the id (16 hex) is the document's `_id`, so a
 * request costs one lookup by `_id` (an index lookup on MongoDB and FerretDB alike); only the
 * SHA-256 of the secret is stored. The secret has 256 bits of entropy, so a fast hash is
 * enough: there is nothing to brute-force.
 */
export interface TokenDoc {
  _id: string;
  name: string;
  role: ApiRole;
  /** hex SHA-256 of the secret part */
  hash: string;
  createdAt: Date;
  /** name of the token (or `cli`) that created this one */
  createdBy: string;
  revokedAt?: Date;
}

export type TokenView = Omit<TokenDoc, 'hash'>;

const TOKEN = /^acs_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function parseToken(text: string): { id: string; secret: string } | undefined {
  const m = TOKEN.exec(text);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Most token ids one shared lookup carries. */
const LOOKUP_BATCH = 100;

export class TokenRepository {
  private readonly collection: Collection<TokenDoc>;
  /**
   * Every request's lookup reads the store (a revoked token is refused at once, by every
   * process); requests arriving together share one `find` (`_id` $in), one at a time.
   */
  private readonly lookups = new GroupCommit((ids: string[]) => readByIds(this.collection, ids), LOOKUP_BATCH, 1);

  constructor(db: Db) {
    this.collection = db.collection<TokenDoc>(COLLECTIONS.apiTokens);
  }

  /** Whether any token was ever issued (the first start's admin token is made only when none was). */
  async any(): Promise<boolean> {
    return (await this.collection.countDocuments({}, { limit: 1 })) > 0;
  }

  /** Creates a token; the returned `token` is the only time its secret exists in clear. */
  async create(input: { name: string; role: ApiRole; createdBy: string }, now = new Date()): Promise<{ token: string; doc: TokenView }> {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const doc: TokenDoc = { _id: id, name: input.name, role: input.role, hash: hashSecret(secret), createdAt: now, createdBy: input.createdBy };
    await this.collection.insertOne(doc);
    return { token: `acs_${id}_${secret}`, doc: withoutHash(doc) };
  }

  /** The caller a presented token stands for; undefined when it is malformed, unknown or revoked. */
  async verify(token: string): Promise<Actor | undefined> {
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    const doc = await this.lookups.add(parsed.id);
    if (!doc || doc.revokedAt) return undefined;
    const presented = Buffer.from(hashSecret(parsed.secret), 'hex');
    const stored = Buffer.from(doc.hash, 'hex');
    if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) return undefined;
    return { kind: 'token', tokenId: doc._id, name: doc.name, role: doc.role };
  }

  async list(): Promise<TokenView[]> {
    const docs = await this.collection.find({}, { projection: { hash: 0 } }).sort({ createdAt: 1 }).limit(10_000).toArray();
    return docs as TokenView[];
  }

  get(id: string): Promise<TokenView | null> {
    return this.collection.findOne({ _id: id }, { projection: { hash: 0 } }) as Promise<TokenView | null>;
  }

  /** Revokes a token by id; false when there is no such token or it was revoked already. */
  async revoke(id: string, now = new Date()): Promise<boolean> {
    const r = await this.collection.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: now } });
    return r.modifiedCount === 1;
  }
}

function withoutHash(doc: TokenDoc): TokenView {
  const { hash: _hash, ...view } = doc;
  return view;
}
