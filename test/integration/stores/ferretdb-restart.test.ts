/**
 * The local FerretDB keeps what it proved of sorted fields across a clean restart, and only
 * then (tools/local-stores/ferretdb/patches.ts, KEEP_PROOFS): a proof read back serves the
 * first sorted page without a scan of the table, a refuted field stays refuted, and after a
 * crash (SIGKILL) nothing kept is trusted. Each test runs its own FerretDB on its own data
 * directory, restarting it; what is observed is FerretDB's count of proving scans
 * (acs_sort_proof_scans at /debug/vars), its explain and the order MongoDB's rules give.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Collection, MongoClient } from 'mongodb';
import { findExecutable, type Service } from '../../../tools/local-stores/process';
import { ownFerretdb, startOwnFerretdb } from '../../support/ferretdb';

const describeFerretdb = ownFerretdb ? describe : describe.skip;
/** The sqlite3 shell, another program writing FerretDB's file (a developer tool; its test is skipped without it). */
const sqlite3 = findExecutable('sqlite3');

async function sqlite(dir: string, statement: string): Promise<string> {
  const { stdout } = await promisify(execFile)(sqlite3 as string, [path.join(dir, 'restart.sqlite'), statement]);
  return stdout.trim();
}

type Doc = { _id: string; at?: Date | number; booted?: Date; label?: string };

/** One FerretDB process on `dir`, with its metrics address. */
interface Running {
  service: Service;
  client: MongoClient;
  coll(name: string): Collection<Doc>;
  /** proving scans this process ran so far */
  scans(): Promise<number>;
}

async function start(dir: string): Promise<Running> {
  const { service, client, counter } = await startOwnFerretdb(dir, 'restart');
  return { service, client, coll: (name) => client.db().collection<Doc>(name), scans: () => counter('acs_sort_proof_scans') };
}

/** SIGTERM, and FerretDB's own clean exit (not the SIGKILL after the grace period). */
async function stopCleanly(running: Running): Promise<void> {
  await running.client.close();
  await running.service.stop();
  expect([running.service.child.exitCode, running.service.child.signalCode]).toEqual([0, null]);
}

async function crash(running: Running): Promise<void> {
  await running.client.close();
  const exited = new Promise((resolve) => running.service.child.once('exit', resolve));
  running.service.child.kill('SIGKILL');
  await exited;
}

const day = Date.parse('2025-06-01T00:00:00Z');

/** MongoDB's order for {at: dir, _id: dir} of dates, numbers and missing fields (numbers before dates). */
function mongoOrder(docs: Doc[], dir: 1 | -1): string[] {
  const rank = (v: Doc['at']) => (v === undefined ? 0 : typeof v === 'number' ? 1 : 2);
  const key = (v: Doc['at']) => (v === undefined ? 0 : typeof v === 'number' ? v : v.getTime());
  return [...docs]
    .sort((a, b) => dir * (rank(a.at) - rank(b.at) || key(a.at) - key(b.at) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)))
    .map((d) => d._id);
}

async function sorted(coll: Collection<Doc>, dir: 1 | -1, field = 'at'): Promise<string[]> {
  return coll.find({}).sort({ [field]: dir, _id: dir }).map((d) => d._id).toArray();
}

async function pushedDown(coll: Collection<Doc>, field = 'at'): Promise<boolean> {
  const plan = (await coll.find({}).sort({ [field]: -1, _id: -1 }).limit(5).explain()) as { sortPushdown?: boolean };
  return plan.sortPushdown === true;
}

/** 120 devices, 1 in 6 without `at`, `booted` always a date, `label` a string (refuted from its index). */
function devices(prefix: string): Doc[] {
  return Array.from({ length: 120 }, (_, i) => {
    const doc: Doc = { _id: `${prefix}${String((i * 37) % 120).padStart(3, '0')}`, booted: new Date(day - i * 1000), label: `l${i % 4}` };
    if (i % 6 !== 2) doc.at = new Date(day + ((i * 13) % 30) * 60_000);
    return doc;
  });
}

async function seed(coll: Collection<Doc>, docs: Doc[]): Promise<void> {
  for (const field of ['at', 'booted', 'label']) await coll.createIndex({ [field]: 1, _id: 1 });
  await coll.insertMany(docs);
}

/** SQL giving one device a 13-digit number where its date was: only the schema type says it is no date. */
const numberWhereDate = (table: string, id: string) =>
  `UPDATE "${table}" SET _ferretdb_sjson = json_set(_ferretdb_sjson, '$.at', 1750000000000, '$."$s".p.at.t', 'double') WHERE _ferretdb_sjson->'_id' = '${JSON.stringify(id)}'`;

describeFerretdb('local FerretDB sort proofs across restarts', () => {
  let dir: string;
  let running: Running | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'acs-ferretdb-restart-'));
  });
  afterEach(async () => {
    if (running) await crash(running).catch(() => undefined);
    running = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** Devices seeded, their sort proven, FerretDB stopped cleanly. */
  async function provenThenStopped(prefix: string): Promise<Doc[]> {
    running = await start(dir);
    const docs = devices(prefix);
    await seed(running.coll('devices'), docs);
    expect(await sorted(running.coll('devices'), 1)).toEqual(mongoOrder(docs, 1));
    await stopCleanly(running);
    return docs;
  }

  it('serves the first sorted page after a clean restart from the kept proof, without a scan', async () => {
    running = await start(dir);
    const docs = devices('p');
    await seed(running.coll('devices'), docs);
    expect(await sorted(running.coll('devices'), -1)).toEqual(mongoOrder(docs, -1));
    expect(await running.scans()).toBeGreaterThan(0);
    const names = (await running.client.db().listCollections().toArray()).map((c) => c.name).sort();
    await stopCleanly(running);

    running = await start(dir);
    expect(await sorted(running.coll('devices'), -1)).toEqual(mongoOrder(docs, -1));
    expect(await sorted(running.coll('devices'), 1)).toEqual(mongoOrder(docs, 1));
    expect([await pushedDown(running.coll('devices')), await pushedDown(running.coll('devices'), 'booted'), await pushedDown(running.coll('devices'), 'label')]).toEqual([true, true, false]);
    expect(await running.scans()).toBe(0);
    expect((await running.client.db().listCollections().toArray()).map((c) => c.name).sort()).toEqual(names);
    // writes are still checked: a number sorts before every date on MongoDB, its text after them
    await running.coll('devices').updateOne({ _id: docs[7]._id }, { $set: { at: 9_999_999_999_999 } });
    docs[7].at = 9_999_999_999_999;
    expect(await sorted(running.coll('devices'), 1)).toEqual(mongoOrder(docs, 1));
    expect(await pushedDown(running.coll('devices'))).toBe(false);
  });

  it('keeps a field refuted by the scan refuted after a clean restart', async () => {
    running = await start(dir);
    // a number of 13 digits: its text is a date's, so only the scan (not the index) refutes it
    const docs = [...devices('r'), { _id: 'r-number', at: 1_750_000_000_000 }];
    await seed(running.coll('mixed'), docs);
    expect(await sorted(running.coll('mixed'), 1)).toEqual(mongoOrder(docs, 1));
    expect(await running.scans()).toBeGreaterThan(0);
    await stopCleanly(running);

    running = await start(dir);
    expect(await sorted(running.coll('mixed'), 1)).toEqual(mongoOrder(docs, 1));
    expect(await sorted(running.coll('mixed'), -1)).toEqual(mongoOrder(docs, -1));
    expect([await pushedDown(running.coll('mixed')), await pushedDown(running.coll('mixed'), 'booted')]).toEqual([false, true]);
    expect(await running.scans()).toBe(0);
  });

  (sqlite3 ? it : it.skip)('trusts no proof of a table another program wrote while FerretDB was stopped', async () => {
    const docs = await provenThenStopped('w');

    const table = await sqlite(dir, `SELECT table_name FROM _ferretdb_collections WHERE name = 'devices'`);
    await sqlite(dir, numberWhereDate(table, docs[11]._id));
    docs[11].at = 1_750_000_000_000;

    running = await start(dir);
    expect(await sorted(running.coll('devices'), 1)).toEqual(mongoOrder(docs, 1));
    expect(await running.scans()).toBeGreaterThan(0);
    expect(await pushedDown(running.coll('devices'))).toBe(false);
    // what the proof of that table left in the file (its rows, its triggers) is gone while it runs
    expect(await sqlite(dir, `SELECT count(*) FROM sqlite_schema WHERE name GLOB '_ferretdb_acs_sort_proofs*'`)).toBe('0');
  });

  (sqlite3 ? it : it.skip)('trusts no proof of a table another program created again while FerretDB was stopped', async () => {
    const docs = await provenThenStopped('n');

    // the same rows in a table of the same name, created anew (without the old one's triggers),
    // then one of them given a 13-digit number where a date was
    const table = await sqlite(dir, `SELECT table_name FROM _ferretdb_collections WHERE name = 'devices'`);
    const create = await sqlite(dir, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = '${table}'`);
    await sqlite(dir, `ALTER TABLE "${table}" RENAME TO old; ${create}; INSERT INTO "${table}" SELECT * FROM old; DROP TABLE old; ${numberWhereDate(table, docs[5]._id)}`);
    docs[5].at = 1_750_000_000_000;

    running = await start(dir);
    expect(await sorted(running.coll('devices'), 1)).toEqual(mongoOrder(docs, 1));
    expect(await running.scans()).toBeGreaterThan(0);
  });

  it('trusts nothing kept after a crash: the proof is made again by a scan', async () => {
    const docs = await provenThenStopped('c');

    // restored, then a write this process checks (the field refuted in its memory), then a crash
    running = await start(dir);
    await running.coll('devices').updateOne({ _id: docs[9]._id }, { $set: { at: 1_750_000_000_000 } });
    docs[9].at = 1_750_000_000_000;
    expect(await running.scans()).toBe(0);
    await crash(running);

    running = await start(dir);
    expect(await sorted(running.coll('devices'), 1)).toEqual(mongoOrder(docs, 1));
    expect(await running.scans()).toBeGreaterThan(0);
    expect(await pushedDown(running.coll('devices'))).toBe(false);
  });
});
