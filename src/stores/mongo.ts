import { MongoClient, ReadConcern, type Db, type DbOptions, type Document, type MongoClientOptions } from 'mongodb';
import ConnectionString, { redactConnectionString } from 'mongodb-connection-string-url';
import type { Logger } from '../log';
import { StoreError } from './errors';

export const DEFAULT_DATABASE = 'acs';

/** The database a connection string names in its path, `acs` when it names none. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new ConnectionString(url).pathname.replace(/^\//, ''));
  return name || DEFAULT_DATABASE;
}

/** The URL with its credentials masked, for messages and logs. */
export function redactMongoUrl(url: string): string {
  return redactConnectionString(url);
}

export interface MongoConnectOptions {
  /** how long to look for a reachable server before giving up (default 10 s) */
  timeoutMs?: number;
  /** default 50, unless the URL sets `maxPoolSize` itself */
  maxPoolSize?: number;
  /** emit commandStarted/Succeeded/Failed events on the client (for metrics) */
  monitorCommands?: boolean;
  /** where to say which write and read concerns apply, or why none do */
  log?: Logger;
}

/** How the server is deployed, from its `hello` answer. */
export type MongoTopology = 'replica-set' | 'sharded' | 'standalone';

export function topologyOf(hello: Document): MongoTopology {
  if (hello.msg === 'isdbgrid') return 'sharded';
  return typeof hello.setName === 'string' && hello.setName !== '' ? 'replica-set' : 'standalone';
}

/**
 * A write is acknowledged once a majority of the replica set has it in its journal, so no
 * failover can roll back a task, its outcome or an operator's change after the ACS (or the
 * API) said it happened: a rolled-back task completion would be sent to its device again.
 * The session hot path gets the same concern: its writes are task claims and completions too,
 * and the cost is latency (one replication round trip, ~1-2 ms in one data centre), not
 * throughput. Reads are `majority` so nothing read (a claimed task, a profile) can be one a
 * failover undoes; they stay on the primary (the driver's default) for read-your-writes.
 * `wtimeoutMS` bounds the wait when no majority is reachable: the request fails (the device
 * retries its session) instead of hanging. Documented in docs/scaling.md.
 */
export const REPLICATED_DB_OPTIONS = {
  writeConcern: { w: 'majority', journal: true, wtimeoutMS: 10_000 },
  readConcern: new ReadConcern('majority'),
} as const satisfies DbOptions;

/** Connection-string options that choose these concerns themselves: an operator's URL wins. */
const CONCERN_URL_OPTIONS = ['w', 'journal', 'wtimeoutms', 'readconcernlevel'];

/**
 * The concerns for the database, or why there are none: a standalone server (FerretDB, a
 * development mongod) has no majority to wait for and no replicated read to choose.
 */
export function concernsFor(topology: MongoTopology, url: string): { options: DbOptions; skipped?: string } {
  if (topology === 'standalone') return { options: {}, skipped: 'the server is neither a replica set nor mongos' };
  if (CONCERN_URL_OPTIONS.some((key) => urlSets(url, key))) return { options: {}, skipped: 'the connection string sets its own write or read concern' };
  return { options: REPLICATED_DB_OPTIONS };
}

/**
 * The URL's database with the concerns its deployment needs, logged once either way.
 * `hello` is the server's answer to the `hello` command.
 */
export function openDatabase(client: MongoClient, url: string, hello: Document, log?: Logger): Db {
  const topology = topologyOf(hello);
  const { options, skipped } = concernsFor(topology, url);
  if (skipped) log?.info({ event: 'mongo.concerns_skipped', topology, reason: skipped }, `MongoDB write/read concern majority not applied: ${skipped}`);
  else log?.info({ event: 'mongo.concerns', topology, writeConcern: 'majority', journal: true, readConcern: 'majority' }, `MongoDB ${topology}: writes and reads with concern majority`);
  return client.db(databaseName(url), options);
}

/**
 * Connects and proves the server answers, so a wrong URL fails at start with a message that
 * names it (without its password) instead of at the first request.
 */
export async function connectMongo(url: string, options: MongoConnectOptions = {}): Promise<{ client: MongoClient; db: Db }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clientOptions: MongoClientOptions = {
    // Options given to the client win over the URL's, so a pool size in the URL must not be overridden.
    ...(options.maxPoolSize !== undefined || !urlSetsPoolSize(url) ? { maxPoolSize: options.maxPoolSize ?? 50 } : {}),
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    appName: 'cwmp-acs',
    monitorCommands: options.monitorCommands ?? false,
    // The driver's defaults, said explicitly: a write or read cut off by a failover or a
    // primary step-down is retried once on the new primary. Standalone servers ignore them.
    retryWrites: true,
    retryReads: true,
  };
  let client: MongoClient;
  try {
    client = new MongoClient(url, clientOptions);
  } catch (err) {
    throw new StoreError(`MONGODB_URL ${redactMongoUrl(url)} is not a valid connection string: ${(err as Error).message}`);
  }
  try {
    await client.connect();
    const hello = await client.db('admin').command({ hello: 1 });
    return { client, db: openDatabase(client, url, hello, options.log) };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new StoreError(`MongoDB at ${redactMongoUrl(url)} is unreachable: ${(err as Error).message}`);
  }
}

function urlSetsPoolSize(url: string): boolean {
  return urlSets(url, 'maxpoolsize');
}

/** The connection string sets option `key` (lower case; URL options are case-insensitive). */
function urlSets(url: string, key: string): boolean {
  try {
    return [...new ConnectionString(url).searchParams.keys()].some((k) => k.toLowerCase() === key);
  } catch {
    return false;
  }
}

/** True when the server answers a ping within the timeout; never throws. */
export async function mongoAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const { client } = await connectMongo(url, { timeoutMs, maxPoolSize: 1 });
    await client.close();
    return true;
  } catch {
    return false;
  }
}

/** Readiness check of an open connection. */
export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}

/** The same connection string pointing at another database. */
export function withDatabase(url: string, name: string): string {
  const cs = new ConnectionString(url);
  cs.pathname = `/${encodeURIComponent(name)}`;
  return cs.toString();
}
