import { ObjectId } from 'mongodb';
import { cancelJob } from '../../../src/jobs/canceller';
import type { JobDeps } from '../../../src/jobs/deps';
import { TaskDispatcher } from '../../../src/jobs/dispatcher';
import { jobTaskId } from '../../../src/jobs/ids';
import { planJob } from '../../../src/jobs/planner';
import { JobCounter, jobCounts, jobProgress } from '../../../src/jobs/progress';
import { Reconciler } from '../../../src/jobs/reconciler';
import { Releaser } from '../../../src/jobs/releaser';
import { JobRepository } from '../../../src/jobs/repository';
import type { JobDoc } from '../../../src/jobs/types';
import type { TaskDoc } from '../../../src/tasks/types';
import { seedDevices } from '../../support/seed';
import { openJobTestStores, type JobTestStores } from '../../support/jobs';
import type { TestStores } from '../../support/stores';

/**
 * A job's tasks are stored only as its devices are released: the plan is the chunks alone.
 * The job steps run here one by one on the real stores (no worker consumes the queues), so a
 * crash, a replay or a race can be staged exactly.
 */
let stores: TestStores;
let deps: JobDeps;
let jobStores: JobTestStores;
const DEVICES = 5;
const RPCS = [{ method: 'Reboot' as const, commandKey: '' }, { method: 'GetRPCMethods' as const }];
/** two devices per tick: rate × 200 ms */
const RATE = 10;
/**
 * The `due` passed to ticks: never behind, so a tick releases exactly its share. A tick that
 * runs late also releases what fell due meanwhile, and on a loaded machine the reads before
 * it can take long enough for that to change how many devices a tick releases.
 */
const notLate = () => Date.now() + 3_600_000;

beforeAll(async () => {
  jobStores = await openJobTestStores();
  ({ stores, deps } = jobStores);
});
afterAll(async () => jobStores?.close());

const tasksOf = (jobId: string) => stores.db.collection<TaskDoc>('tasks').find({ jobId }).toArray();
const counts = async (job: JobDoc, now?: Date) => jobCounts(job, await deps.tasks.countByStatus(job._id), now);
const none = { pending: 0, sent: 0, done: 0, fault: 0, expired: 0, cancelled: 0 };

/** A job over fresh devices, planned (and so releasing, unless paused). */
async function plannedJob(serial: string, options: Partial<JobDoc> = {}): Promise<{ job: JobDoc; ids: string[] }> {
  const ids = await seedDevices(stores.db, Array.from({ length: DEVICES }, (_, i) => ({ serialNumber: `${serial}${i}`, tags: [serial] })));
  const now = new Date();
  const job: JobDoc = {
    _id: new ObjectId().toHexString(),
    rpcs: RPCS,
    target: { tag: serial },
    scan: false,
    rate: RATE,
    connectionRequest: false,
    state: 'planning',
    paused: false,
    createdAt: now,
    updatedAt: now,
    createdBy: 'test',
    planAttempts: 0,
    release: { position: 0, updatedAt: now },
    ...options,
  };
  await deps.jobs.create(job);
  await planJob(deps, job._id, 'planner');
  return { job: (await deps.jobs.get(job._id))!, ids };
}

async function queueOf(deviceId: string): Promise<string[]> {
  return (await deps.devices.get(deviceId, { taskQueue: 1 }))?.taskQueue ?? [];
}

it('plans without storing a task; the devices count as pending until released', async () => {
  const { job } = await plannedJob('PLANONLY');
  expect(job).toMatchObject({ state: 'releasing', plan: { devices: DEVICES, chunks: 1 } });
  expect(await tasksOf(job._id)).toEqual([]);
  expect(await counts(job)).toEqual({ ...none, pending: DEVICES * RPCS.length });
});

it('a tick replayed after a crash, or run twice at once, stores and announces each task once and resets none', async () => {
  const { job, ids } = await plannedJob('REPLAY');
  const releaser = new Releaser(deps);
  // two workers on the same tick
  await Promise.all([releaser.tick(job._id, 0, notLate()), new Releaser(deps).tick(job._id, 0, notLate())]);
  expect((await deps.jobs.get(job._id))!.release.position).toBe(2);
  const first = await tasksOf(job._id);
  expect(first.map((t) => t._id).sort()).toEqual(ids.slice(0, 2).flatMap((d) => [jobTaskId(job._id, d, 0), jobTaskId(job._id, d, 1)]).sort());
  expect(first.every((t) => t.status === 'pending' && t.releasedAt)).toBe(true);
  for (const d of ids.slice(0, 2)) expect((await queueOf(d)).sort()).toEqual([jobTaskId(job._id, d, 0), jobTaskId(job._id, d, 1)].sort());

  // A crash after storing the tasks, before announcing one of them and moving the position;
  // meanwhile a session finished one of the tasks.
  const finished = jobTaskId(job._id, ids[1]!, 0);
  await stores.db.collection<TaskDoc>('tasks').updateOne({ _id: finished }, { $set: { status: 'done', completedAt: new Date() } });
  await stores.db.collection('devices').updateOne({ _id: ids[0] as never }, { $set: { taskQueue: [] } });
  await stores.db.collection('jobs').updateOne({ _id: job._id as never }, { $set: { 'release.position': 0 } });
  await releaser.tick(job._id, 0, notLate());
  const replayed = await tasksOf(job._id);
  expect(replayed).toHaveLength(4);
  expect(replayed.find((t) => t._id === finished)).toMatchObject({ status: 'done' });
  expect((await queueOf(ids[0]!)).sort()).toEqual([jobTaskId(job._id, ids[0]!, 0), jobTaskId(job._id, ids[0]!, 1)].sort());
  expect((await deps.jobs.get(job._id))!.release.position).toBe(2);

  // the rest, to the end: every device's tasks once
  for (let p = 2; p < DEVICES; p = (await deps.jobs.get(job._id))!.release.position) await releaser.tick(job._id, p, notLate());
  await releaser.tick(job._id, DEVICES, notLate());
  const all = await tasksOf(job._id);
  expect(all).toHaveLength(DEVICES * RPCS.length);
  expect(new Set(all.map((t) => `${t.deviceId} ${t.rpc.method}`)).size).toBe(DEVICES * RPCS.length);
  expect((await deps.jobs.get(job._id))!.state).toBe('released');
});

it('a cancelled job counts its unreleased devices as cancelled, and a tick still under way stores none of them pending', async () => {
  const { job, ids } = await plannedJob('CANCEL');
  await new Releaser(deps).tick(job._id, 0, notLate());
  const releasing = (await deps.jobs.get(job._id))!;
  expect(releasing.release.position).toBe(2);
  expect(await counts(releasing)).toEqual({ ...none, pending: 10 });

  await deps.jobs.transition(job._id, ['releasing'], 'cancelling');
  await cancelJob(deps, job._id, 'canceller');
  const cancelled = (await deps.jobs.get(job._id))!;
  expect(cancelled).toMatchObject({ state: 'cancelled', counts: { ...none, cancelled: 10 } });
  for (const d of ids) expect(await queueOf(d)).toEqual([]);

  // A tick that read the job just before it was cancelled, finishing now.
  const stale: JobDeps = { ...deps, jobs: Object.assign(Object.create(deps.jobs) as JobRepository, { get: async () => releasing }) };
  await new Releaser(stale).tick(job._id, 2, notLate());
  expect((await tasksOf(job._id)).filter((t) => t.status !== 'cancelled')).toEqual([]);
  expect(await counts(cancelled)).toEqual({ ...none, cancelled: 10 });
  expect((await deps.jobs.get(job._id))!.release.position).toBe(2);
});

it('a job past its expiry releases no further device, counts the rest as expired and is done', async () => {
  const counter = new JobCounter(deps.tasks);
  // expired before its first tick: nothing is stored at all
  const { job: late } = await plannedJob('EXPLATE', { expiresAt: new Date(Date.now() - 1000) });
  await new Releaser(deps).tick(late._id, 0, notLate());
  const lateNow = (await deps.jobs.get(late._id))!;
  expect(lateNow.state).toBe('released');
  expect(await tasksOf(late._id)).toEqual([]);
  expect(await jobProgress(deps, counter, lateNow)).toMatchObject({ status: 'done', tasks: { ...none, expired: 10 } });

  // expiring part-way, paused (no tick looks at it): the reconciler stops it
  const expiresAt = new Date(Date.now() + 3_600_000);
  const { job } = await plannedJob('EXPMID', { expiresAt });
  await new Releaser(deps).tick(job._id, 0, notLate());
  await deps.jobs.setPaused(job._id, true);
  const after = new Date(expiresAt.getTime() + 1000);
  expect(await counts((await deps.jobs.get(job._id))!, after)).toEqual({ ...none, pending: 4, expired: 6 });
  const reconciler = new Reconciler(deps, new TaskDispatcher(deps), 60_000);
  await reconciler.passJobs(after.getTime());
  expect((await deps.jobs.get(job._id))!.state).toBe('released');
  expect((await reconciler.sweepTasks(after)).expired).toBe(4);
  expect(await reconciler.passJobs(after.getTime())).toMatchObject({ done: 1 });
  expect((await deps.jobs.get(job._id))!).toMatchObject({ state: 'done', counts: { ...none, expired: 10 } });
  // a tick queued before it stopped changes nothing
  await new Releaser(deps).tick(job._id, 2, notLate());
  expect(await tasksOf(job._id)).toHaveLength(4);
});
