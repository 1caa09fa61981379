import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import Koa from 'koa';
import { cancelJob } from '../jobs/canceller';
import type { JobDeps } from '../jobs/deps';
import { planJob } from '../jobs/planner';
import { bullConnection, bullPrefix, releaseBullConnection, QUEUES, type JobStep, type WakeData } from '../jobs/queues';
import { Reconciler } from '../jobs/reconciler';
import { Releaser } from '../jobs/releaser';
import type { Services, Stores } from '../roles/compose';
import type { AppContext } from '../roles/context';
import { observability } from '../http/observability';
import { listen, type RunningRole } from '../roles/http';
import { workerMetrics } from './metrics';
import { repeat, rested } from './pacing';
import { wakeProcessor } from './wake';

/** What the worker role works with, from the process's root (roles/compose.ts). */
export interface WorkerDeps extends Pick<AppContext, 'config' | 'log' | 'ready'> {
  stores: Pick<Stores, 'jobs' | 'tasks' | 'devices' | 'versions' | 'fleet'>;
  services: Pick<Services, 'queues' | 'dispatcher' | 'taskEnded'>;
}

/**
 * The worker role: BullMQ workers for bulk-job steps, connection requests and task expiry,
 * plus the reconciler that rebuilds the queues from MongoDB and the periodic snapshot of
 * software versions per product class (firmware/version-history.ts). Any number may run. It serves no
 * API, only /healthz and /readyz on ACS_WORKER_PORT, so that Kubernetes can probe it; its
 * counters are on the process's metrics port like the other roles'.
 */
export async function startWorker(ctx: WorkerDeps): Promise<RunningRole> {
  const { config, stores, services } = ctx;
  const log = ctx.log.child({ role: 'worker' });
  const { queues } = services;
  const deps: JobDeps = { jobs: stores.jobs, tasks: stores.tasks, devices: stores.devices, queues, log, taskEnded: services.taskEnded };
  const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const intervalMs = config.worker.reconcileIntervalSeconds * 1000;
  const releaser = new Releaser(deps);
  const reconciler = new Reconciler(deps, services.dispatcher, Math.max(3 * intervalMs, 5_000));
  const base = { connection: bullConnection(config), prefix: bullPrefix(config) };

  const runStep = async (job: Job<JobStep>): Promise<void> => {
    const step = job.data;
    try {
      if (step.step === 'plan') await planJob(deps, step.jobId, owner);
      else if (step.step === 'release') await releaser.tick(step.jobId, step.position, step.due);
      else await cancelJob(deps, step.jobId, owner);
      workerMetrics.jobSteps.inc({ step: step.step, result: 'ok' });
    } catch (err) {
      workerMetrics.jobSteps.inc({ step: step.step, result: 'error' });
      throw err;
    }
  };
  const workers = [
    // Steps are short (a release tick handles at most a thousand devices); a dead worker's
    // step is taken over quickly.
    new Worker<JobStep>(QUEUES.jobs, runStep, { ...base, concurrency: 8, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 5 }),
    new Worker<WakeData>(
      QUEUES.wake,
      wakeProcessor({ devices: deps.devices, tasks: deps.tasks, config: config.connectionRequests, log }),
      { ...base, concurrency: config.connectionRequests.concurrency, lockDuration: 15_000, stalledInterval: 5_000 },
    ),
    // The schedule fires every interval; a sweep that took long makes the next ones wait.
    new Worker(
      QUEUES.housekeeping,
      rested(async () => {
        const report = await reconciler.sweepTasks();
        if (report.announced || report.wakes) log.info({ event: 'worker.swept', ...report }, 'sweep queued unfinished tasks again');
        return report;
      }),
      { ...base, concurrency: 1 },
    ),
  ];
  for (const w of workers) {
    w.on('error', (err) => log.warn({ event: 'worker.error', queue: w.name, err: err.message }, 'BullMQ worker error'));
    w.on('failed', (job, err) => {
      if (err.name !== 'RetryWake') log.warn({ event: 'worker.job_failed', queue: w.name, job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'queued step failed');
    });
  }
  await queues.wake.setGlobalConcurrency(config.connectionRequests.concurrency);

  const reconciling = repeat(
    intervalMs,
    async () => {
      // The sweep's schedule lives in Redis: set it again in case Redis lost it.
      await queues.housekeeping.upsertJobScheduler('sweep-tasks', { every: intervalMs }, { name: 'sweep' });
      const report = await reconciler.passJobs();
      if (report.steps) log.info({ event: 'worker.reconciled', ...report }, 'reconciler queued job steps again');
    },
    (err) => log.warn({ event: 'worker.reconcile_failed', err: (err as Error).message }, 'reconciler pass failed'),
  );
  // Each pass is one `_id` read unless the interval's snapshot is still missing.
  const { versions: history, fleet } = stores;
  const { versionSnapshotSeconds: every, versionSnapshotRetentionDays: keepDays } = config.worker;
  const snapshotting = repeat(
    Math.min(every, 60) * 1000,
    async () => {
      const now = new Date();
      // Counters short of devices (or kept before the class-and-version pairs existed) are
      // rebuilt first, at most every 10 min fleet-wide; while that runs the figures may be short.
      const rebuilding = await fleet.checkInBackground(deps.devices, (err) => log.warn({ event: 'worker.fleet_rebuild_failed', err: (err as Error).message }, 'could not rebuild the fleet counters'));
      if (rebuilding) return;
      if (await history.record(now, every, () => fleet.byClassAndVersion())) await history.prune(new Date(now.getTime() - keepDays * 86_400_000));
    },
    (err) => log.warn({ event: 'worker.version_snapshot_failed', err: (err as Error).message }, 'software-version snapshot failed'),
  );
  const stopWorking = async () => {
    await reconciling.stop();
    await snapshotting.stop();
    await Promise.allSettled(workers.map((w) => w.close()));
    await releaseBullConnection(base.connection);
  };
  const probes = new Koa();
  probes.use(observability(ctx.ready));
  const served = await listen('worker', probes, { host: config.bindAddress, port: config.workerPort }).catch(async (err: unknown) => {
    await stopWorking();
    throw err;
  });
  log.info({ event: 'worker.started', owner, url: served.url }, 'worker started');
  return {
    name: 'worker',
    url: served.url,
    close: async () => {
      await served.close();
      await stopWorking();
    },
  };
}
