import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { apiTarget, callApi, checkDeviceId, checkObjectId, withApiOptions, type ApiFlags, type ApiTarget } from '../api/client';
import { json, table } from '../api/output';
import { parseRpc, RPC_SHORTCUTS } from '../api/rpc-args';
import { CliError, EXIT, UsageError } from '../errors';

export interface JobView {
  id: string;
  name?: string;
  status: string;
  rpcs: Array<{ method: string }>;
  rate: number;
  createdAt: string;
  devices: number | null;
  released: number;
  tasks: Record<'pending' | 'sent' | 'done' | 'fault' | 'expired' | 'cancelled', number>;
}

interface CreateFlags extends ApiFlags {
  rpc?: string;
  tag?: string;
  device: string[];
  productClass?: string;
  softwareVersion?: string;
  param: string[];
  filter?: string;
  scan?: boolean;
  rate?: string;
  connectionRequest?: boolean;
  name?: string;
  expiresIn?: string;
  paused?: boolean;
  watch?: boolean;
  json?: boolean;
}

const collect = (v: string, list: string[]) => [...list, v];
const FINISHED = new Set(['done', 'cancelled']);

/** `acs jobs create|list|get|watch|pause|resume|cancel` against the operator API. */
export function register(program: Command): void {
  const jobs = program.command('jobs').description('bulk jobs: one RPC for many devices (through the operator API)');
  withApiOptions(
    jobs
      .command('create <rpc> [args...]')
      .description(`run an RPC on every device of a tag, a list or a filter. RPCs:\n${Object.entries(RPC_SHORTCUTS).map(([k, v]) => `  ${k.padEnd(14)} ${v}`).join('\n')}`)
      .option('--rpc <json>', 'the RPC\'s arguments as JSON (with a CWMP method name as <rpc>)')
      .option('--tag <tag>', 'every device with this tag')
      .option('--device <deviceId>', 'this device (repeat)', collect, [])
      .option('--product-class <name>', 'filter: product class')
      .option('--software-version <version>', 'filter: software version')
      .option('--param <NAME=VALUE>', 'filter: parameter value (repeat; needs --scan)', collect, [])
      .option('--filter <json>', 'filter as JSON (the API\'s DeviceFilter)')
      .option('--scan', 'allow filters without an index')
      .option('--rate <n>', 'devices per second (default 50)')
      .option('--connection-request', 'wake each device when its turn comes')
      .option('--name <name>', 'a name for the job')
      .option('--expires-in <seconds>', 'tasks not sent by then expire')
      .option('--paused', 'create it paused')
      .option('--watch', 'then show its progress until it ends')
      .option('--json', 'print JSON'),
  ).action(async (method: string, args: string[], opts: CreateFlags) => {
    const target = apiTarget(opts);
    const body: Record<string, unknown> = { rpcs: [parseRpc(method, args, opts.rpc)], target: jobTarget(opts), connectionRequest: !!opts.connectionRequest };
    if (opts.name) body.name = opts.name;
    if (opts.scan) body.scan = true;
    if (opts.paused) body.paused = true;
    if (opts.rate !== undefined) body.rate = number('--rate', opts.rate);
    if (opts.expiresIn !== undefined) body.expiresIn = number('--expires-in', opts.expiresIn);
    const job = await callApi<JobView>(target, 'POST', '/jobs', body);
    if (opts.watch) return watch(target, job.id, { json: !!opts.json, intervalMs: 1000 });
    process.stdout.write(opts.json ? json(job) : `job ${job.id} created (${job.status}); follow it with: acs jobs watch ${job.id}\n`);
  });
  withApiOptions(jobs.command('list').description('jobs, newest first').option('--limit <n>', 'jobs to show (at most 1000)').option('--json', 'print JSON')).action(
    async (opts: ApiFlags & { limit?: string; json?: boolean }) => {
      const page = await callApi<{ items: JobView[] }>(apiTarget(opts), 'GET', `/jobs${opts.limit ? `?limit=${encodeURIComponent(opts.limit)}` : ''}`);
      if (opts.json) return void process.stdout.write(json(page.items));
      const rows = page.items.map((j) => [j.id, j.name, j.rpcs.map((r) => r.method), j.status, j.devices, j.released, j.tasks.done, j.tasks.fault, j.tasks.pending + j.tasks.sent, j.createdAt]);
      process.stdout.write(table(['ID', 'NAME', 'RPC', 'STATUS', 'DEVICES', 'RELEASED', 'DONE', 'FAULT', 'WAITING', 'CREATED'], rows));
    },
  );
  withApiOptions(jobs.command('get <jobId>').description('a job and its counts').option('--json', 'print JSON')).action(async (id: string, opts: ApiFlags & { json?: boolean }) => {
    const job = await callApi<JobView>(apiTarget(opts), 'GET', `/jobs/${checkObjectId('job id', id)}`);
    process.stdout.write(opts.json ? json(job) : summary(job));
  });
  withApiOptions(
    jobs
      .command('watch <jobId>')
      .description('a live progress bar until the job ends')
      .option('--interval <ms>', 'poll interval', '1000')
      .option('--json', 'print the final state as JSON'),
  ).action(async (id: string, opts: ApiFlags & { interval: string; json?: boolean }) => watch(apiTarget(opts), id, { json: !!opts.json, intervalMs: number('--interval', opts.interval) }));
  for (const verb of ['pause', 'resume', 'cancel'] as const) {
    withApiOptions(jobs.command(`${verb} <jobId>`).description(`${verb} a job`)).action(async (id: string, opts: ApiFlags) => {
      const job = await callApi<JobView>(apiTarget(opts), 'POST', `/jobs/${checkObjectId('job id', id)}/${verb}`);
      process.stdout.write(`job ${job.id} ${job.status}\n`);
    });
  }
}

function jobTarget(opts: CreateFlags): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (opts.productClass) filter.productClass = opts.productClass;
  if (opts.softwareVersion) filter.softwareVersion = opts.softwareVersion;
  for (const p of opts.param) {
    const at = p.indexOf('=');
    if (at < 1) throw new UsageError(`--param ${JSON.stringify(p)} is not NAME=VALUE`);
    ((filter.params ??= {}) as Record<string, string>)[p.slice(0, at)] = p.slice(at + 1);
  }
  if (opts.filter) {
    try {
      Object.assign(filter, JSON.parse(opts.filter));
    } catch (err) {
      throw new UsageError(`--filter is not JSON: ${(err as Error).message}`);
    }
  }
  const targets = [opts.tag !== undefined ? { tag: opts.tag } : undefined, opts.device.length ? { deviceIds: opts.device.map(checkDeviceId) } : undefined, Object.keys(filter).length ? { filter } : undefined].filter(Boolean);
  if (targets.length !== 1) throw new UsageError('name the devices with exactly one of --tag, --device (repeatable) or filter options (--product-class, --software-version, --param, --filter)');
  return targets[0]!;
}

function number(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0)) throw new UsageError(`${flag} must be a positive number, got ${JSON.stringify(text)}`);
  return n;
}

function finishedCount(j: JobView): number {
  return j.tasks.done + j.tasks.fault + j.tasks.expired + j.tasks.cancelled;
}

function summary(j: JobView): string {
  const t = j.tasks;
  return `job ${j.id}${j.name ? ` (${j.name})` : ''}: ${j.status}; ${j.devices ?? '?'} devices, ${j.released} released; tasks: ${t.done} done, ${t.fault} fault, ${t.expired} expired, ${t.cancelled} cancelled, ${t.pending} pending, ${t.sent} in flight\n`;
}

/** Polls the job and draws its progress (finished tasks of all tasks) until it ends. */
async function watch(target: ApiTarget, id: string, opts: { json: boolean; intervalMs: number }): Promise<void> {
  const bar = new SingleBar({
    format: (_options, _params, payload: { job: JobView }) => progressLine(payload.job, process.stderr.columns),
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 2000,
    hideCursor: true,
  });
  let job = await callApi<JobView>(target, 'GET', `/jobs/${checkObjectId('job id', id)}`);
  bar.start(Math.max(1, totalTasks(job)), finishedCount(job), { job });
  // A day of polling at most: a watch is for people, and a job that long has a name to look it up by.
  const until = Date.now() + 24 * 3600_000;
  try {
    while (!FINISHED.has(job.status) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, opts.intervalMs));
      job = await callApi<JobView>(target, 'GET', `/jobs/${id}`);
      bar.setTotal(Math.max(1, totalTasks(job)));
      bar.update(finishedCount(job), { job });
    }
  } finally {
    bar.stop();
  }
  process.stdout.write(opts.json ? json(job) : summary(job));
  const failed = job.tasks.fault + job.tasks.expired;
  if (job.status === 'done' && failed > 0) throw new CliError(`job ${job.id}: ${failed} of ${totalTasks(job)} tasks failed (see acs faults list --job ${job.id})`, EXIT.partial);
}

const totalTasks = (j: JobView) => Object.values(j.tasks).reduce((a, b) => a + b, 0);

/**
 * One line of progress that fits `columns` (a terminal's width; 120 when not a terminal): the
 * bar shrinks first, then the details go, so the line never wraps.
 */
export function progressLine(j: JobView, columns = 120): string {
  const total = totalTasks(j);
  const done = finishedCount(j);
  const t = j.tasks;
  const counts = `${done}/${total} tasks | ${j.status}`;
  const head = `job ${j.id} `;
  const full = ` ${counts} | done ${t.done} fault ${t.fault} expired ${t.expired} | released ${j.released}/${j.devices ?? '?'}`;
  const short = ` ${counts} | fault ${t.fault}`;
  // Most to least: the bar and counts stay longest, then the status, the job's id, the details.
  const layouts = [[head, full], [head, short], ['', short], ['', ` ${counts}`], ['', ` ${done}/${total}`]];
  const width = Math.max(1, columns - 1);
  for (const [before, after] of layouts) {
    const size = Math.min(40, width - before.length - after.length - 2);
    if (size < 10) continue;
    const filled = total > 0 ? Math.round((size * done) / total) : 0;
    return `${before}[${'='.repeat(filled)}${'-'.repeat(size - filled)}]${after}`;
  }
  return ` ${done}/${total}`.slice(0, width);
}
