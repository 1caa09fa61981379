import { rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from '../../src/stores/errors';
import type { LocalStores, LocalStoresOptions } from '../../src/stores/local-stores';
import { DEFAULT_DATABASE, mongoAnswers, redactMongoUrl } from '../../src/stores/mongo';
import { defaultDataDir } from '../../src/stores/paths';
import { redactRedisUrl, redisAnswers } from '../../src/stores/redis';
import { findRunningLocalStores, LOCAL_STORES_STATE_FILE, type RunningStores } from '../../src/stores/running';
import { ensureFerretdbBinary } from './ferretdb/build';
import { findExecutable, freePort, runCommand, startService, stderrLog, waitUntilReady, type Service, type StoreLog } from './process';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const START_TIMEOUT_MS = 60_000;
const START_ATTEMPTS = 3;

/**
 * SQLite settings of every connection. A page cache of 32 MB (SQLite's default is 2 MB) and
 * statement journals in memory: inserting a job's 100,000 tasks, each in ten indexes, spilled
 * the cache to the WAL mid-transaction and wrote journals to temporary files, and spent a third
 * of FerretDB's CPU in write system calls; with these, about a tenth (bench/RESULTS.md, planning).
 */
export const SQLITE_PARAMS = '?_txlock=immediate&_pragma=synchronous(normal)&_pragma=cache_size(-32768)&_pragma=temp_store(memory)';

/**
 * Finds or starts MongoDB and Redis for a machine where nothing was set up by hand:
 * MONGODB_URL / REDIS_URL when set, else what runs locally, else store processes started
 * here (FerretDB built from source when no mongod exists).
 * Implements LocalStoresTool (src/stores/local-stores.ts), which loads this module by path.
 */
export async function ensureLocalStores(options: LocalStoresOptions = {}): Promise<LocalStores> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const dataDir = options.dataDir ?? defaultDataDir();
  const defaultRedisUrl = options.defaultRedisUrl ?? DEFAULT_REDIS_URL;
  const reuse = options.storageDir ? undefined : await runningElsewhere(dataDir, log);
  const started: Service[] = [];
  const stopAll = async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  };
  try {
    const mongodbUrl = env.MONGODB_URL
      ? await requireAnswer('MONGODB_URL', env.MONGODB_URL, redactMongoUrl, mongoAnswers)
      : (reuse?.mongodbUrl ?? (await startMongo(dataDir, options.storageDir, log, started)));
    const redisUrl = env.REDIS_URL
      ? await requireAnswer('REDIS_URL', env.REDIS_URL, redactRedisUrl, redisAnswers)
      : (reuse?.redisUrl ?? ((await redisAnswers(defaultRedisUrl)) ? defaultRedisUrl : await startRedis(dataDir, env, log, started, defaultRedisUrl)));
    const stateFile = path.join(dataDir, LOCAL_STORES_STATE_FILE);
    const writesState = Boolean(options.writeStateFile && started.length > 0);
    if (writesState) {
      await mkdir(dataDir, { recursive: true });
      await writeFile(stateFile, JSON.stringify({ mongodbUrl, redisUrl, pid: process.pid }, null, 2));
      process.once('exit', () => rmSync(stateFile, { force: true }));
    }
    return {
      mongodbUrl,
      redisUrl,
      async stop() {
        if (writesState) rmSync(stateFile, { force: true });
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function requireAnswer(
  name: string,
  url: string,
  redact: (url: string) => string,
  answers: (url: string, timeoutMs: number) => Promise<boolean>,
): Promise<string> {
  if (await answers(url, 5000)) return url;
  throw new StoreError(`${name} is set to ${redact(url)}, but nothing answers there`);
}

/**
 * Stores another process of this checkout started on the same data directory: they are
 * shared, because two FerretDB processes must never open the same SQLite files.
 */
async function runningElsewhere(dataDir: string, log: StoreLog): Promise<RunningStores | undefined> {
  const running = findRunningLocalStores(dataDir);
  if (!running || !(await mongoAnswers(running.mongodbUrl))) return undefined;
  log(`local stores: using those started by pid ${running.pid} (${running.mongodbUrl}, ${running.redisUrl})`);
  return running;
}

/** Starts a store on a free port, retrying when another process took the port first. */
async function startOnFreePort(
  name: string,
  log: StoreLog,
  started: Service[],
  launch: (port: number) => { service: Service; url: string },
  probe: (url: string) => Promise<boolean>,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const { service, url } = launch(await freePort());
    try {
      await waitUntilReady(service, () => probe(url), START_TIMEOUT_MS);
      started.push(service);
      log(`${name} started at ${url} (pid ${service.child.pid})`);
      return url;
    } catch (err) {
      if (attempt >= START_ATTEMPTS) throw err;
      log(`${name} failed to start, retrying: ${(err as Error).message.split('\n')[0]}`);
    }
  }
}

/** Connections per client to the FerretDB (SQLite) this module starts. */
export const FERRETDB_POOL_SIZE = 4;

async function startMongo(dataDir: string, storageDir: string | undefined, log: StoreLog, started: Service[]): Promise<string> {
  const mongod = findExecutable('mongod');
  if (mongod) {
    const dir = storageDir ?? path.join(dataDir, 'mongod');
    await mkdir(dir, { recursive: true });
    return startOnFreePort(
      'mongod',
      log,
      started,
      (port) => ({
        service: startService('mongod', mongod, ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dir, '--quiet'], dir, log),
        url: `mongodb://127.0.0.1:${port}/${DEFAULT_DATABASE}`,
      }),
      (url) => mongoAnswers(url),
    );
  }
  const binary = await ensureFerretdbBinary(log);
  const dir = storageDir ?? path.join(dataDir, 'ferretdb');
  await mkdir(dir, { recursive: true });
  return startOnFreePort(
    'ferretdb',
    log,
    started,
    (port) => ({
      service: startService(
        'ferretdb',
        binary,
        ['-listen-addr', `127.0.0.1:${port}`, '-sqlite-dir', dir, '-sqlite-params', SQLITE_PARAMS, '-log-level', 'error'],
        dir,
        log,
      ),
      // SQLite takes one writer at a time: more connections only queue on its lock, where
      // busy-waiting is unfair and some sessions wait seconds (bench/RESULTS.md, pool size).
      url: `mongodb://127.0.0.1:${port}/${DEFAULT_DATABASE}?maxPoolSize=${FERRETDB_POOL_SIZE}`,
    }),
    (url) => mongoAnswers(url),
  );
}

async function startRedis(dataDir: string, env: NodeJS.ProcessEnv, log: StoreLog, started: Service[], triedUrl: string): Promise<string> {
  const server = findExecutable('redis-server') ?? (await installRedis(env, log, triedUrl));
  const dir = path.join(dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  return startOnFreePort(
    'redis-server',
    log,
    started,
    (port) => ({
      service: startService('redis-server', server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], dir, log),
      url: `redis://127.0.0.1:${port}`,
    }),
    (url) => redisAnswers(url),
  );
}

/** Installs Debian's redis-server when we may (root with apt-get); otherwise says what is missing. */
async function installRedis(env: NodeJS.ProcessEnv, log: StoreLog, triedUrl: string): Promise<string> {
  const aptGet = findExecutable('apt-get');
  if (!aptGet || process.getuid?.() !== 0) {
    throw new StoreError(`No Redis answers at ${triedUrl} and no redis-server is installed: install redis-server (Debian package redis-server) or set REDIS_URL`);
  }
  log(`local stores: no Redis answers at ${triedUrl} and redis-server is missing; installing the Debian package redis-server ...`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  await runCommand(aptGet, ['update'], { cwd: '/', env: aptEnv });
  await runCommand(aptGet, ['install', '-y', '--no-install-recommends', 'redis-server'], { cwd: '/', env: aptEnv });
  const server = findExecutable('redis-server', ['/usr/bin', '/usr/sbin']);
  if (!server) throw new StoreError('apt-get installed redis-server, but no redis-server executable was found');
  return server;
}
