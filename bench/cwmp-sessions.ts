/**
 * Core benchmark (issue 2): N simulated phones run periodic Inform sessions with nothing to do
 * against a running ACS, over loopback HTTP with Digest. Reports sessions/s, p50/p99 session
 * latency (Inform to 204, 401 rounds included) and MongoDB commands per session, read from the
 * ACS's own /metrics.
 *
 *   npm run build && node dist/bench/cwmp-sessions.js --phones 2000 --sessions 3 --concurrency 100
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
import { Fleet } from '../src/sim';
import { ensureLocalStores } from '../src/stores';
import { freePort } from '../src/stores/process';

const USERNAME = 'bench';
const PASSWORD = 'bench-secret';

interface Options {
  phones: number;
  sessions: number;
  concurrency: number;
  acsUrl?: string;
  mongodbUrl?: string;
  acsProcesses: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      phones: { type: 'string', default: '1000' },
      sessions: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '100' },
      'acs-url': { type: 'string' },
      'mongodb-url': { type: 'string' },
      'acs-processes': { type: 'string', default: '1' },
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
    mongodbUrl: values['mongodb-url'],
    acsProcesses: int('acs-processes', values['acs-processes']!),
  };
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
  const cleanup: Array<() => Promise<void> | void> = [];
  try {
    const urls: string[] = [];
    if (opts.acsUrl) {
      urls.push(opts.acsUrl.replace(/\/+$/, ''));
    } else {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'acs-bench-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const stores = await ensureLocalStores({ storageDir: dir, env: opts.mongodbUrl ? { MONGODB_URL: opts.mongodbUrl } : {}, log: () => undefined });
      cleanup.push(() => stores.stop());
      const prefix = `bench:${process.pid}:`;
      for (let i = 0; i < opts.acsProcesses; i++) {
        const port = await freePort();
        const nodeArgs = process.env.ACS_BENCH_NODE_ARGS ? process.env.ACS_BENCH_NODE_ARGS.split(' ') : [];
        const child = spawn(process.execPath, [...nodeArgs, path.join(__dirname, '../src/cli/main.js'), 'serve', '--roles', 'cwmp'], {
          env: {
            ...process.env,
            MONGODB_URL: stores.mongodbUrl,
            REDIS_URL: stores.redisUrl,
            ACS_REDIS_PREFIX: prefix,
            ACS_BIND_ADDRESS: '127.0.0.1',
            ACS_CWMP_PORT: String(port),
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
        }),
    );
    for (const f of fleets) {
      await f.start();
      cleanup.unshift(() => f.stop(2000));
    }
    const perFleet = Math.max(1, Math.floor(opts.concurrency / fleets.length));
    const t0 = Date.now();
    await Promise.all(fleets.map((f) => f.runSessions(1, perFleet)));
    const bootstrapSeconds = (Date.now() - t0) / 1000;
    const bootstrapped = fleets.reduce((n, f) => n + f.latencies.length, 0);

    const before = await Promise.all(urls.map(async (u) => ({ mongo: await metric(u, 'acs_mongo_commands_total'), sessions: await metric(u, 'acs_cwmp_sessions_total', 'completed') })));
    const marks = fleets.map((f) => ({ latencies: f.latencies.length, failed: f.summary().sessions.failed }));
    const t1 = Date.now();
    await Promise.all(fleets.map((f) => f.runSessions(opts.sessions, perFleet)));
    const seconds = (Date.now() - t1) / 1000;
    const after = await Promise.all(urls.map(async (u) => ({ mongo: await metric(u, 'acs_mongo_commands_total'), sessions: await metric(u, 'acs_cwmp_sessions_total', 'completed') })));

    const latencies = fleets.flatMap((f, i) => f.latencies.slice(marks[i].latencies)).sort((a, b) => a - b);
    const failed = fleets.reduce((n, f, i) => n + f.summary().sessions.failed - marks[i].failed, 0);
    const mongo = after.reduce((n, a, i) => n + a.mongo - before[i].mongo, 0);
    const acsSessions = after.reduce((n, a, i) => n + a.sessions - before[i].sessions, 0);
    const result = {
      phones: fleets.reduce((n, f) => n + f.devices.length, 0),
      acsProcesses: urls.length,
      concurrency: opts.concurrency,
      bootstrap: { sessions: bootstrapped, perSecond: Math.round(bootstrapped / bootstrapSeconds) },
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
