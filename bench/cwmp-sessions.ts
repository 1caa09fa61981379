/**
 * Core benchmark (issue 2): N simulated phones run periodic Inform sessions with nothing to do
 * against a running ACS, over loopback HTTP with Digest. Reports sessions/s, p50/p99 session
 * latency (Inform to 204, 401 rounds included) and MongoDB commands per session, read from the
 * ACS's own metrics port (ACS_METRICS_PORT).
 *
 *   npm run build && node dist/bench/cwmp-sessions.js --phones 2000 --sessions 3 --concurrency 100
 *
 * With `--profiles N` (issue 5) the ACS first gets N provisioning profiles of which exactly 3
 * match each phone (its product class, a software-version range, and a list of serial numbers
 * that holds it), and the phones' BOOTSTRAP sessions reconcile them into that state for real
 * (GetParameterValues, SetParameterValues, a configuration-file Download from the fs role and
 * its TransferComplete). The periodic sessions measured after are those of up-to-date phones.
 *
 * Without --acs-url it starts its own stores (FerretDB in a temporary directory, or the MongoDB
 * of --mongodb-url; the machine's Redis under a fresh prefix) and `acs serve --roles cwmp` as a
 * child process, so the ACS and the simulator are separate processes sharing the machine's
 * cores, as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Db } from 'mongodb';
import { ProfileStore } from '../src/profiles/store';
import { MappingOverrideStore } from '../src/provisioning/stores/mapping-overrides';
import { ChangeMarker } from '../src/provisioning/desired/snapshot';
import { ciscoConfigHooks, DEFAULT_PRODUCT_CLASS, Fleet } from '../src/sim';
import { connectMongo, connectRedis, ensureLocalStores } from '../src/stores';
import { freePort } from '../tools/local-stores/process';

const USERNAME = 'bench';
const PASSWORD = 'bench-secret';

interface Options {
  phones: number;
  sessions: number;
  concurrency: number;
  acsUrl?: string;
  /** the ACS's metrics port (ACS_METRICS_PORT) when --acs-url is given */
  metricsUrl?: string;
  mongodbUrl?: string;
  acsProcesses: number;
  /** provisioning profiles to load (3 match each phone); 0: none */
  profiles: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      phones: { type: 'string', default: '1000' },
      sessions: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '100' },
      'acs-url': { type: 'string' },
      'metrics-url': { type: 'string' },
      'mongodb-url': { type: 'string' },
      'acs-processes': { type: 'string', default: '1' },
      profiles: { type: 'string', default: '0' },
    },
  });
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
  return {
    phones: int('phones', values.phones!),
    sessions: int('sessions', values.sessions!),
    concurrency: int('concurrency', values.concurrency!),
    acsUrl: values['acs-url'],
    metricsUrl: values['metrics-url'],
    mongodbUrl: values['mongodb-url'],
    acsProcesses: int('acs-processes', values['acs-processes']!),
    profiles: values.profiles === '0' ? 0 : int('profiles', values.profiles!),
  };
}

const MIN_PROFILES = 3;

/**
 * N profiles, 3 of which match every phone: one for the product class, one for a range of
 * software versions, and one of N - 2 that lists the serial numbers of a group of phones.
 */
async function loadProfiles(db: Db, marker: ChangeMarker, count: number, serials: string[]): Promise<void> {
  if (count < MIN_PROFILES) throw new Error(`--profiles must be at least ${MIN_PROFILES} (3 match each phone)`);
  await new MappingOverrideStore(db).replace(DEFAULT_PRODUCT_CLASS, { Periodic_Inform_Interval: 'Device.ManagementServer.PeriodicInformInterval' });
  const store = new ProfileStore(db);
  await store.create('model', { precedence: 1, match: { productClasses: [DEFAULT_PRODUCT_CLASS] }, parameters: [{ name: 'Station_Name', value: 'Bench $SN' }, { name: 'Primary_NTP_Server', value: 'ntp.example.net' }] });
  await store.create('firmware-12', { precedence: 2, match: { softwareVersion: { min: 'sip88xx.12-0-0MPP', below: 'sip88xx.13-0-0MPP' } }, parameters: [{ name: 'Periodic_Inform_Interval', value: '3600' }] });
  const groups = count - 2;
  for (let g = 0; g < groups; g++) {
    const members = serials.filter((_, i) => i % groups === g);
    await store.create(`group-${g}`, { precedence: 3, match: { serialNumbers: members.length ? members : [`NOBODY${g}`] }, parameters: [{ name: 'Display_Name_1_', value: `Group ${g}` }] });
  }
  await marker.bump('profiles');
}

async function metric(base: string, name: string, label?: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (label && !line.includes(label))) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ACS exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the ACS at ${url} did not become ready within 60 s`);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.profiles && opts.acsUrl) throw new Error('--profiles needs the stores this script starts (no --acs-url)');
  const cleanup: Array<() => Promise<void> | void> = [];
  try {
    const urls: string[] = [];
    /** each ACS process's metrics port, in the order of `urls` */
    const metricsUrls: string[] = [];
    let started: { mongodbUrl: string; redisUrl: string; prefix: string } | undefined;
    if (opts.acsUrl) {
      urls.push(opts.acsUrl.replace(/\/+$/, ''));
      if (!opts.metricsUrl) throw new Error('--acs-url needs --metrics-url (the ACS_METRICS_PORT of that ACS)');
      metricsUrls.push(opts.metricsUrl.replace(/\/+$/, ''));
    } else {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'acs-bench-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const stores = await ensureLocalStores({ storageDir: dir, env: opts.mongodbUrl ? { MONGODB_URL: opts.mongodbUrl } : {}, log: () => undefined });
      cleanup.push(() => stores.stop());
      const prefix = `bench:${process.pid}:`;
      started = { mongodbUrl: stores.mongodbUrl, redisUrl: stores.redisUrl, prefix };
      for (let i = 0; i < opts.acsProcesses; i++) {
        const port = await freePort();
        const fsPort = await freePort();
        const metricsPort = await freePort();
        const nodeArgs = process.env.ACS_BENCH_NODE_ARGS ? process.env.ACS_BENCH_NODE_ARGS.split(' ') : [];
        // With profiles, the fs role serves the configuration files of the reconciliation.
        const roles = opts.profiles ? 'cwmp,fs' : 'cwmp';
        const child = spawn(process.execPath, [...nodeArgs, path.join(__dirname, '../src/cli/main.js'), 'serve', '--roles', roles], {
          env: {
            ...process.env,
            MONGODB_URL: stores.mongodbUrl,
            REDIS_URL: stores.redisUrl,
            ACS_REDIS_PREFIX: prefix,
            ACS_BIND_ADDRESS: '127.0.0.1',
            ACS_CWMP_PORT: String(port),
            ACS_FS_PORT: String(fsPort),
            ACS_METRICS_PORT: String(metricsPort),
            ACS_PUBLIC_FS_URL: `http://127.0.0.1:${fsPort}`,
            ACS_PROVISIONING_POLL_MS: '200',
            ACS_CWMP_USERNAME: USERNAME,
            ACS_CWMP_PASSWORD: PASSWORD,
            LOG_LEVEL: 'warn',
          },
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        cleanup.unshift(() => {
          child.kill('SIGTERM');
        });
        const url = `http://127.0.0.1:${port}`;
        await waitReady(url, child);
        urls.push(url);
        metricsUrls.push(`http://127.0.0.1:${metricsPort}`);
      }
    }
    const fleets = urls.map(
      (acsUrl, i) =>
        new Fleet({
          acsUrl: `${acsUrl}/`,
          count: Math.ceil(opts.phones / urls.length),
          serialPrefix: `B${i}X`,
          auth: 'digest',
          username: USERNAME,
          password: PASSWORD,
          concurrency: opts.concurrency,
          retry: false,
          hooks: ciscoConfigHooks(),
        }),
    );
    for (const f of fleets) {
      await f.start();
      cleanup.unshift(() => f.stop(2000));
    }
    const perFleet = Math.max(1, Math.floor(opts.concurrency / fleets.length));
    let provisioned: number | undefined;
    const t0 = Date.now();
    if (opts.profiles && started) {
      const { client, db } = await connectMongo(started.mongodbUrl);
      const redis = connectRedis(started.redisUrl, { name: 'acs-bench' });
      cleanup.unshift(async () => {
        redis.disconnect();
        await client.close();
      });
      await loadProfiles(db, new ChangeMarker(redis, started.prefix), opts.profiles, fleets.flatMap((f) => f.devices.map((d) => d.serialNumber)));
      // The ACS checks the marker every ACS_PROVISIONING_POLL_MS (200 ms here).
      await new Promise((r) => setTimeout(r, 1000));
      // Bootstrap: each phone is reconciled, then reports its configuration file's transfer.
      const reports = fleets.flatMap((f) => f.devices.map((d) => d.nextSession((o) => o.transferCompletes > 0, 600_000)));
      await Promise.all(fleets.map((f) => f.runSessions(1, perFleet)));
      await Promise.all(reports);
      provisioned = await db.collection('devices').countDocuments({ 'provision.applied': { $exists: true } });
    } else {
      await Promise.all(fleets.map((f) => f.runSessions(1, perFleet)));
    }
    const bootstrapSeconds = (Date.now() - t0) / 1000;
    const bootstrapped = fleets.reduce((n, f) => n + f.latencies.length, 0);

    const before = await Promise.all(metricsUrls.map(async (u) => ({ mongo: await metric(u, 'acs_mongo_commands_total'), sessions: await metric(u, 'acs_cwmp_sessions_total', 'completed') })));
    const marks = fleets.map((f) => ({ latencies: f.latencies.length, failed: f.summary().sessions.failed }));
    const t1 = Date.now();
    await Promise.all(fleets.map((f) => f.runSessions(opts.sessions, perFleet)));
    const seconds = (Date.now() - t1) / 1000;
    const after = await Promise.all(metricsUrls.map(async (u) => ({ mongo: await metric(u, 'acs_mongo_commands_total'), sessions: await metric(u, 'acs_cwmp_sessions_total', 'completed') })));

    const latencies = fleets.flatMap((f, i) => f.latencies.slice(marks[i].latencies)).sort((a, b) => a - b);
    const failed = fleets.reduce((n, f, i) => n + f.summary().sessions.failed - marks[i].failed, 0);
    const mongo = after.reduce((n, a, i) => n + a.mongo - before[i].mongo, 0);
    const acsSessions = after.reduce((n, a, i) => n + a.sessions - before[i].sessions, 0);
    const result = {
      phones: fleets.reduce((n, f) => n + f.devices.length, 0),
      acsProcesses: urls.length,
      concurrency: opts.concurrency,
      bootstrap: { sessions: bootstrapped, perSecond: Math.round(bootstrapped / bootstrapSeconds) },
      ...(opts.profiles ? { profiles: { loaded: opts.profiles, matchingEach: 3, phonesInDesiredState: provisioned } } : {}),
      periodic: {
        sessions: latencies.length,
        failed,
        perSecond: Math.round(latencies.length / seconds),
        p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
        p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
        mongoCommandsPerSession: acsSessions ? Math.round((mongo / acsSessions) * 100) / 100 : NaN,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const step of cleanup) await step();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
