import { MongoServerError, type Db } from 'mongodb';

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
