import { MongoServerError, type Db, type IndexDescription } from 'mongodb';
import { COLLECTIONS, SCHEMA } from './collections';

/** One step of the MongoDB schema, applied once per database by `migrate`. */
export interface Migration {
  /** position in the sequence, unique, never reused */
  id: number;
  /** short kebab-case name; with the id it forms the file name (`001-initial`) */
  name: string;
  /** must be idempotent: a migration interrupted by a crash runs again in full */
  up(db: Db): Promise<void>;
}

/** `001-initial` */
export function migrationLabel(m: Pick<Migration, 'id' | 'name'>): string {
  return `${String(m.id).padStart(3, '0')}-${m.name}`;
}

const NAMESPACE_EXISTS = 48;

/** Creates a collection unless it exists (concurrent creators are fine). */
export async function ensureCollection(db: Db, name: string): Promise<void> {
  try {
    await db.createCollection(name);
  } catch (err) {
    if (!(err instanceof MongoServerError && err.code === NAMESPACE_EXISTS)) throw err;
  }
}

/** FerretDB answers "not implemented" to TTL indexes. */
const NOT_IMPLEMENTED = 238;

/**
 * Applies step `id` of the schema (collections.ts): creates its collections, then its indexes.
 * A TTL index the store does not implement (FerretDB) is left out; stores that rely on one
 * also check the expiry when they read.
 */
export async function applySchema(db: Db, id: number): Promise<void> {
  const step = SCHEMA[id];
  if (!step) throw new RangeError(`no schema step ${id} in src/stores/collections.ts`);
  for (const key of step.collections ?? []) await ensureCollection(db, COLLECTIONS[key]);
  for (const [key, indexes] of Object.entries(step.indexes ?? {}) as Array<[keyof typeof COLLECTIONS, IndexDescription[]]>) {
    const collection = db.collection(COLLECTIONS[key]);
    const ttl = indexes.filter((i) => i.expireAfterSeconds !== undefined);
    if (ttl.length < indexes.length) await collection.createIndexes(indexes.filter((i) => i.expireAfterSeconds === undefined));
    if (ttl.length) await collection.createIndexes(ttl).catch(unlessNotImplemented);
  }
  for (const [key, names] of Object.entries(step.dropIndexes ?? {}) as Array<[keyof typeof COLLECTIONS, string[]]>) {
    const collection = db.collection(COLLECTIONS[key]);
    const present = new Set((await collection.indexes()).map((i) => i.name));
    // another replica running the same step may drop it first
    for (const name of names.filter((n) => present.has(n))) await collection.dropIndex(name).catch(unlessIndexNotFound);
  }
}

const INDEX_NOT_FOUND = 27;

function unlessIndexNotFound(err: unknown): void {
  if (!(err instanceof MongoServerError && err.code === INDEX_NOT_FOUND)) throw err;
}

function unlessNotImplemented(err: unknown): void {
  if (!(err instanceof MongoServerError && (err.code === NOT_IMPLEMENTED || /not implemented/i.test(err.message)))) throw err;
}
