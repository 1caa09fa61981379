import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import ConnectionString, { redactConnectionString } from 'mongodb-connection-string-url';
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
  };
  let client: MongoClient;
  try {
    client = new MongoClient(url, clientOptions);
  } catch (err) {
    throw new StoreError(`MONGODB_URL ${redactMongoUrl(url)} is not a valid connection string: ${(err as Error).message}`);
  }
  try {
    await client.connect();
    const db = client.db(databaseName(url));
    await db.command({ ping: 1 });
    return { client, db };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new StoreError(`MongoDB at ${redactMongoUrl(url)} is unreachable: ${(err as Error).message}`);
  }
}

function urlSetsPoolSize(url: string): boolean {
  try {
    return [...new ConnectionString(url).searchParams.keys()].some((key) => key.toLowerCase() === 'maxpoolsize');
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
