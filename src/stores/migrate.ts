import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { MIGRATIONS } from '../../migrations';
import { COLLECTIONS } from './collections';
import { StoreError } from './errors';
import { migrationLabel, type Migration } from './migration';

/**
 * `migrations` holds one document per applied migration (`_id`: its number), the lock
 * (`_id: 'lock'`) and, after a crash, markers of broken locks (`_id: 'lock-breaker:...'`).
 */
interface MigrationsDoc {
  _id: number | string;
  name?: string;
  appliedAt?: Date;
  owner?: string;
  host?: string;
  pid?: number;
  expiresAt?: Date;
}

const COLLECTION = COLLECTIONS.migrations;
const LOCK_ID = 'lock';
const LOCK_TTL_MS = 60_000;
const RENEW_EVERY_MS = 15_000;
const POLL_MS = 250;
const WAIT_LIMIT_MS = 10 * 60_000;
const DUPLICATE_KEY = 11000;

export type MigrateLog = (message: string) => void;

/**
 * Applies the migrations this database lacks, in order, each once even when several
 * replicas start together: they take turns through a lock document. The lock carries its
 * own expiry (FerretDB has no TTL indexes) so a crashed holder does not block forever.
 */
export async function migrate(db: Db, log: MigrateLog = () => undefined, migrations: readonly Migration[] = MIGRATIONS): Promise<{ applied: string[] }> {
  checkOrder(migrations);
  const coll = db.collection<MigrationsDoc>(COLLECTION);
  if ((await missing(coll, migrations)).length === 0) return { applied: [] };
  const lock = await acquireLock(coll, log);
  const applied: string[] = [];
  try {
    for (const m of await missing(coll, migrations)) {
      const label = migrationLabel(m);
      log(`migrations: applying ${label}`);
      await m.up(db);
      await ignoreDuplicate(coll.insertOne({ _id: m.id, name: m.name, appliedAt: new Date() }));
      applied.push(label);
    }
  } finally {
    await lock.release();
  }
  return { applied };
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.id) || m.id < 1 || (i > 0 && m.id <= migrations[i - 1].id)) {
      throw new Error(`migrations must have increasing positive integer ids; ${migrationLabel(m)} is out of order`);
    }
  });
}

async function missing(coll: Collection<MigrationsDoc>, migrations: readonly Migration[]): Promise<Migration[]> {
  const done = new Set((await coll.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
  return migrations.filter((m) => !done.has(m.id));
}

async function ignoreDuplicate(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
    throw err;
  }
}

interface Lock {
  release(): Promise<void>;
}

/**
 * Inserting a document with a fixed `_id` is the one write that is atomic on both MongoDB and
 * FerretDB (whose conditional updates read, then write), so taking the lock and breaking an
 * expired one are both inserts: only one waiter can record the break of a given holder.
 */
async function acquireLock(coll: Collection<MigrationsDoc>, log: MigrateLog): Promise<Lock> {
  const owner = randomUUID();
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let announced = false;
  for (;;) {
    const expiresAt = new Date(Date.now() + LOCK_TTL_MS);
    if (await ignoreDuplicate(coll.insertOne({ _id: LOCK_ID, owner, host: hostname(), pid: process.pid, expiresAt }))) break;
    const holder = await coll.findOne({ _id: LOCK_ID });
    if (holder?.expiresAt && holder.expiresAt.getTime() < Date.now()) {
      if (await ignoreDuplicate(coll.insertOne({ _id: `lock-breaker:${holder.owner}`, appliedAt: new Date() }))) {
        await coll.deleteOne({ _id: LOCK_ID, owner: holder.owner });
        log(`migrations: removed the expired lock of ${holder.host} pid ${holder.pid}`);
        continue;
      }
    }
    if (Date.now() > deadline) {
      throw new StoreError(
        `migrations: gave up after ${WAIT_LIMIT_MS / 60_000} min waiting for the lock held by ${holder?.host} pid ${holder?.pid}; ` +
          `if no migration runs, delete the document { _id: '${LOCK_ID}' } of the ${COLLECTION} collection`,
      );
    }
    if (holder && !announced) {
      log(`migrations: waiting for ${holder.host} pid ${holder.pid} to finish migrating`);
      announced = true;
    }
    await sleep(POLL_MS);
  }
  const renew = setInterval(() => {
    coll.updateOne({ _id: LOCK_ID, owner }, { $set: { expiresAt: new Date(Date.now() + LOCK_TTL_MS) } }).catch(() => undefined);
  }, RENEW_EVERY_MS);
  renew.unref();
  return {
    async release() {
      clearInterval(renew);
      await coll.deleteOne({ _id: LOCK_ID, owner });
    },
  };
}
