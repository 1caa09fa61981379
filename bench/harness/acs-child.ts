import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { freePort } from '../../tools/local-stores/process';
import { metricSum } from './metrics';
import { PROBE_QUESTION, type ProbeQuestion, type ProbeSample } from './probe';
import type { Cleanup } from './run';
import type { BenchStores } from './stores';

/** The credentials the benches' devices log in with. */
export const BENCH_CREDENTIALS = { username: 'bench', password: 'bench-secret' };

/** The HTTP roles a bench may start, and the setting that gives each its port. */
const PORTS = { cwmp: 'ACS_CWMP_PORT', fs: 'ACS_FS_PORT', api: 'ACS_API_PORT' } as const;
type HttpRole = keyof typeof PORTS;

export interface AcsChildOptions {
  roles: string[];
  stores: BenchStores;
  /** settings beyond the stores, ports and bench credentials */
  env?: Record<string, string>;
  /** node flags (e.g. --cpu-prof); ACS_BENCH_NODE_ARGS adds more */
  nodeArgs?: string[];
}

/** `acs serve` in its own process, as in production, with the probe of probe.ts preloaded. */
export interface AcsChild {
  pid: number;
  /** base URL of each HTTP role it runs */
  url: Partial<Record<HttpRole, string>>;
  metricsUrl: string;
  /** the process's CPU time, memory and Redis commands so far (`gc`: after a full collection, with --expose-gc) */
  sample(options?: { gc?: boolean }): Promise<ProbeSample>;
  /** the process's Prometheus metrics */
  metrics(): Promise<string>;
  /** sum of one metric's samples (those with `label`, if given) */
  metric(name: string, label?: string): Promise<number>;
  /** SIGTERM, and waits for the exit (a CPU profile is written then) */
  stop(): Promise<void>;
}

/** Whether this file runs from TypeScript sources (`node -r @swc-node/register`) or dist. */
const fromSources = __filename.endsWith('.ts');

export async function startAcs(cleanup: Cleanup, options: AcsChildOptions): Promise<AcsChild> {
  const env: Record<string, string> = {
    MONGODB_URL: options.stores.mongodbUrl,
    REDIS_URL: options.stores.redisUrl,
    ACS_REDIS_PREFIX: options.stores.prefix,
    ACS_BIND_ADDRESS: '127.0.0.1',
    ACS_CWMP_USERNAME: BENCH_CREDENTIALS.username,
    ACS_CWMP_PASSWORD: BENCH_CREDENTIALS.password,
    LOG_LEVEL: 'warn',
  };
  for (const setting of Object.values(PORTS)) env[setting] = String(await freePort());
  env.ACS_METRICS_PORT = String(await freePort());
  // A bench may fix a port (one its data names) in `env`.
  Object.assign(env, options.env);
  env.ACS_PUBLIC_FS_URL ??= `http://127.0.0.1:${env.ACS_FS_PORT}`;
  const url: Partial<Record<HttpRole, string>> = {};
  for (const [role, setting] of Object.entries(PORTS) as Array<[HttpRole, string]>) if (options.roles.includes(role)) url[role] = `http://127.0.0.1:${env[setting]}`;
  const ext = fromSources ? '.ts' : '.js';
  const loader = fromSources ? ['-r', '@swc-node/register'] : [];
  const extra = process.env.ACS_BENCH_NODE_ARGS ? process.env.ACS_BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(
    process.execPath,
    [...loader, ...(options.nodeArgs ?? []), ...extra, '-r', path.join(__dirname, `probe${ext}`), path.join(__dirname, `../../src/cli/main${ext}`), 'serve', '--roles', options.roles.join(',')],
    // The child's log goes to stderr: stdout is the bench's result.
    { env: { ...process.env, ...env }, stdio: ['ignore', 2, 'inherit', 'ipc'] },
  );
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  cleanup.defer(stop);
  const metricsUrl = `http://127.0.0.1:${env.ACS_METRICS_PORT}`;
  for (const base of Object.values(url)) await waitReady(`${base}/readyz`, child);
  if (!Object.keys(url).length) await waitReady(`${metricsUrl}/metrics`, child);
  const metrics = async () => (await fetch(`${metricsUrl}/metrics`)).text();
  return {
    pid: child.pid!,
    url,
    metricsUrl,
    sample: (o) => ask(child, { question: PROBE_QUESTION, gc: o?.gc }),
    metrics,
    metric: async (name, label) => metricSum(await metrics(), name, label),
    stop,
  };
}

function ask(child: ChildProcess, question: ProbeQuestion): Promise<ProbeSample> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the ACS child did not answer the probe within 10 s')), 10_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as ProbeSample);
    });
    child.send(question);
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ACS exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the ACS at ${url} did not become ready within 60 s`);
}
