/**
 * Core benchmark (issue 2): N simulated phones run periodic Inform sessions with nothing to do
 * against a running ACS, over loopback HTTP with Digest. Reports sessions/s, p50/p99 session
 * latency (Inform to 204, 401 rounds included) and MongoDB commands per session, counted by the
 * store itself (its serverStatus), so that the ACS runs without the command monitoring that
 * would add to its CPU. With --acs-url, give --mongodb-url for those counts; without it, the
 * ACS's own acs_mongo_requests_total gives their total.
 *
 *   npm run build && node dist/bench/cwmp-sessions.js --phones 2000 --sessions 3 --concurrency 100
 *
 * With `--profiles N` (issue 5) the ACS first gets N provisioning profiles of which exactly 3
 * match each phone (its product class, a software-version range, and a list of serial numbers
 * that holds it), and the phones' BOOTSTRAP sessions reconcile them into that state for real
 * (GetParameterValues, SetParameterValues, a configuration-file Download from the fs role and
 * its TransferComplete). The periodic sessions measured after are those of up-to-date phones.
 *
 * With `--queue-gpv` (issue 17, item 2) every phone gets one GetParameterValues task queued
 * before the measured sessions, so each of those sessions answers one (use with --sessions 1).
 *
 * Without --acs-url it starts its own stores and `acs serve --roles cwmp` as a child process
 * (bench/harness), so the ACS and the simulator are separate processes sharing the machine's
 * cores, as in production, and also reports the ACS process's CPU time and Redis commands per
 * measured session (from the harness's probe in the child). `--warmup N` (default 1) periodic
 * sessions per phone run unmeasured first, so that the CPU measured is that of compiled code
 * rather than of V8 compiling it (`--warmup 0` for the figures before issue 17). `ACS_BENCH_NODE_ARGS=--cpu-prof`
 * profiles the child (the profile is written in the working directory when it stops).
 */
import type { Db } from 'mongodb';
import { ProfileStore } from '../src/profiles/store';
import { MappingOverrideStore } from '../src/provisioning/stores/mapping-overrides';
import { ChangeMarker } from '../src/provisioning/desired/snapshot';
import { ciscoConfigHooks, DEFAULT_PRODUCT_CLASS, Fleet } from '../src/sim';
import { connectMongo, connectRedis } from '../src/stores';
import { TaskRepository } from '../src/tasks/repository';
import { BENCH_CREDENTIALS, countsBetween, flags, metricSum, percentile, positiveInt, report, round, runBench, startAcs, startStores, storeCommandCounter, total, type AcsChild, type BenchStores } from './harness';

function options() {
  const values = flags({
    phones: { type: 'string', default: '1000' },
    sessions: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '100' },
    'acs-url': { type: 'string' },
    'metrics-url': { type: 'string' },
    'mongodb-url': { type: 'string' },
    'acs-processes': { type: 'string', default: '1' },
    profiles: { type: 'string', default: '0' },
    'queue-gpv': { type: 'boolean', default: false },
  });
  return {
    phones: positiveInt('phones', values.phones),
    sessions: positiveInt('sessions', values.sessions),
    /** periodic sessions per phone before the measured ones (0: none) */
    warmup: values.warmup === '0' ? 0 : positiveInt('warmup', values.warmup),
    concurrency: positiveInt('concurrency', values.concurrency),
    acsUrl: values['acs-url'],
    /** the ACS's metrics port (ACS_METRICS_PORT) when --acs-url is given */
    metricsUrl: values['metrics-url'],
    mongodbUrl: values['mongodb-url'],
    acsProcesses: positiveInt('acs-processes', values['acs-processes']),
    /** provisioning profiles to load (3 match each phone); 0: none */
    profiles: values.profiles === '0' ? 0 : positiveInt('profiles', values.profiles),
    queueGpv: values['queue-gpv']!,
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

/** What one ACS process has done so far: from its probe (children) or its metrics port. */
interface Counters {
  sessions: number;
  /** MongoDB requests (acs_mongo_requests_total), for when the store's own counts are not at hand */
  mongoRequests: number;
  cpuMs: number;
  /** the kernel's part of cpuMs (children only) */
  systemCpuMs?: number;
  redis?: Record<string, number>;
}

async function countersOf(metricsUrl: string, child?: AcsChild): Promise<Counters> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  const probe = await child?.sample();
  return {
    sessions: metricSum(text, 'acs_cwmp_sessions_total', 'completed'),
    mongoRequests: metricSum(text, 'acs_mongo_requests_total'),
    cpuMs: probe ? probe.cpuMs : metricSum(text, 'acs_process_cpu_seconds_total') * 1000,
    systemCpuMs: probe?.systemCpuMs,
    redis: probe?.redis,
  };
}

/** A reading of every ACS process, and of the store's commands when the bench can ask the store. */
interface Reading {
  acs: Counters[];
  mongo: Record<string, number>;
}

/** Per-session figures between two readings. */
function perSession({ acs: before, mongo: mongoBefore }: Reading, { acs: after, mongo: mongoAfter }: Reading) {
  const sessions = after.reduce((n, a, i) => n + a.sessions - before[i]!.sessions, 0);
  const sum = (pick: (c: Counters) => Record<string, number> | undefined) => {
    const out: Record<string, number> = {};
    after.forEach((a, i) => {
      for (const [k, v] of Object.entries(countsBetween(pick(before[i]!) ?? {}, pick(a) ?? {}))) out[k] = (out[k] ?? 0) + v;
    });
    return out;
  };
  const each = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort(([, a], [, b]) => b - a).map(([k, v]) => [k, round(v / sessions, 2)]));
  const mongo = countsBetween(mongoBefore, mongoAfter);
  const redis = before[0]?.redis ? sum((c) => c.redis) : undefined;
  const cpuMs = after.reduce((n, a, i) => n + a.cpuMs - before[i]!.cpuMs, 0);
  const systemCpuMs = before[0]?.systemCpuMs === undefined ? undefined : after.reduce((n, a, i) => n + a.systemCpuMs! - before[i]!.systemCpuMs!, 0);
  return {
    acsSessions: sessions,
    acsCpuMsPerSession: sessions ? round(cpuMs / sessions, 3) : NaN,
    ...(systemCpuMs !== undefined ? { acsSystemCpuMsPerSession: sessions ? round(systemCpuMs / sessions, 3) : NaN } : {}),
    mongoCommandsPerSession: sessions ? round(total(mongo) / sessions, 2) : NaN,
    ...(redis ? { redisCommandsPerSession: sessions ? round(total(redis) / sessions, 2) : NaN } : {}),
    mongoByCommand: each(mongo),
    ...(redis ? { redisByCommand: each(redis) } : {}),
  };
}

runBench(async (cleanup) => {
  const opts = options();
  if ((opts.profiles || opts.queueGpv) && opts.acsUrl) throw new Error('--profiles and --queue-gpv need the stores this script starts (no --acs-url)');
  const urls: string[] = [];
  /** each ACS process's metrics port, in the order of `urls` */
  const metricsUrls: string[] = [];
  const children: AcsChild[] = [];
  let stores: BenchStores | undefined;
  if (opts.acsUrl) {
    urls.push(opts.acsUrl.replace(/\/+$/, ''));
    if (!opts.metricsUrl) throw new Error('--acs-url needs --metrics-url (the ACS_METRICS_PORT of that ACS)');
    metricsUrls.push(opts.metricsUrl.replace(/\/+$/, ''));
  } else {
    stores = await startStores(cleanup, 'cwmp', opts.mongodbUrl);
    for (let i = 0; i < opts.acsProcesses; i++) {
      // With profiles, the fs role serves the configuration files of the reconciliation.
      const acs = await startAcs(cleanup, { roles: opts.profiles ? ['cwmp', 'fs'] : ['cwmp'], stores, env: { ACS_PROVISIONING_POLL_MS: '200' } });
      children.push(acs);
      urls.push(acs.url.cwmp!);
      metricsUrls.push(acs.metricsUrl);
    }
  }
  const fleets = urls.map(
    (acsUrl, i) =>
      new Fleet({
        acsUrl: `${acsUrl}/`,
        count: Math.ceil(opts.phones / urls.length),
        serialPrefix: `B${i}X`,
        auth: 'digest',
        ...BENCH_CREDENTIALS,
        concurrency: opts.concurrency,
        retry: false,
        hooks: ciscoConfigHooks(),
      }),
  );
  for (const f of fleets) {
    await f.start();
    cleanup.defer(() => f.stop(2000));
  }
  const perFleet = Math.max(1, Math.floor(opts.concurrency / fleets.length));
  let provisioned: number | undefined;
  const t0 = Date.now();
  const db = stores && (opts.profiles || opts.queueGpv) ? await connectMongo(stores.mongodbUrl) : undefined;
  if (db) cleanup.defer(() => db.client.close());
  if (opts.profiles && stores && db) {
    const redis = connectRedis(stores.redisUrl, { name: 'acs-bench' });
    cleanup.defer(() => redis.disconnect());
    await loadProfiles(db.db, new ChangeMarker(redis, stores.prefix), opts.profiles, fleets.flatMap((f) => f.devices.map((d) => d.serialNumber)));
    // The ACS checks the marker every ACS_PROVISIONING_POLL_MS (200 ms here).
    await new Promise((r) => setTimeout(r, 1000));
    // Bootstrap: each phone is reconciled, then reports its configuration file's transfer.
    const reports = fleets.flatMap((f) => f.devices.map((d) => d.nextSession((o) => o.transferCompletes > 0, 600_000)));
    await Promise.all(fleets.map((f) => f.runSessions(1, perFleet)));
    await Promise.all(reports);
    provisioned = await db.db.collection('devices').countDocuments({ 'provision.applied': { $exists: true } });
  } else {
    await Promise.all(fleets.map((f) => f.runSessions(1, perFleet)));
  }
  const bootstrapSeconds = (Date.now() - t0) / 1000;
  const bootstrapped = fleets.reduce((n, f) => n + f.latencies.length, 0);
  const queueGpv = async (): Promise<void> => {
    if (!opts.queueGpv || !db) return;
    const tasks = new TaskRepository(db.db);
    for (const f of fleets) for (const d of f.devices) await tasks.queue(d.deviceId, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion', 'Device.ManagementServer.PeriodicInformInterval'] });
  };

  // Unmeasured periodic sessions first: the ACS's code for them is compiled by then, so the
  // figures are those of a process that has been serving them (steady state), not of its JIT.
  // With --queue-gpv the warm-up's first session carries a task too, and the measured sessions
  // get tasks of their own queued after it.
  const warm = Date.now();
  if (opts.warmup) {
    await queueGpv();
    await Promise.all(fleets.map((f) => f.runSessions(opts.warmup, perFleet)));
  }
  const warmupSeconds = (Date.now() - warm) / 1000;
  await queueGpv();
  const mongodbUrl = stores?.mongodbUrl ?? opts.mongodbUrl;
  const storeCommands = mongodbUrl ? await storeCommandCounter(cleanup, mongodbUrl) : undefined;
  const read = async (): Promise<Reading> => {
    const acs = await Promise.all(metricsUrls.map((u, i) => countersOf(u, children[i])));
    return { acs, mongo: storeCommands ? await storeCommands() : { 'requests (acs_mongo_requests_total)': acs.reduce((n, c) => n + c.mongoRequests, 0) } };
  };
  const before = await read();
  const marks = fleets.map((f) => ({ latencies: f.latencies.length, failed: f.summary().sessions.failed }));
  const t1 = Date.now();
  await Promise.all(fleets.map((f) => f.runSessions(opts.sessions, perFleet)));
  const seconds = (Date.now() - t1) / 1000;
  const after = await read();

  const latencies = fleets.flatMap((f, i) => f.latencies.slice(marks[i]!.latencies)).sort((a, b) => a - b);
  const failed = fleets.reduce((n, f, i) => n + f.summary().sessions.failed - marks[i]!.failed, 0);
  report('cwmp-sessions', {
    ...(stores ? { store: stores.label } : {}),
    phones: fleets.reduce((n, f) => n + f.devices.length, 0),
    acsProcesses: urls.length,
    concurrency: opts.concurrency,
    bootstrap: { sessions: bootstrapped, perSecond: Math.round(bootstrapped / bootstrapSeconds) },
    warmup: { sessionsPerPhone: opts.warmup, seconds: round(warmupSeconds) },
    ...(opts.profiles ? { profiles: { loaded: opts.profiles, matchingEach: 3, phonesInDesiredState: provisioned } } : {}),
    [opts.queueGpv ? 'withOneGetParameterValues' : 'periodic']: {
      sessions: latencies.length,
      failed,
      perSecond: Math.round(latencies.length / seconds),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      ...perSession(before, after),
    },
  });
});
