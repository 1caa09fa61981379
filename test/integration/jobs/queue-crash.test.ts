import { DeviceRepository } from '../../../src/devices/repository';
import type { JobDeps } from '../../../src/jobs/deps';
import { TaskDispatcher } from '../../../src/jobs/dispatcher';
import { Reconciler } from '../../../src/jobs/reconciler';
import { TaskRepository } from '../../../src/tasks/repository';
import type { TaskDoc } from '../../../src/tasks/types';
import { seedDevices } from '../../support/seed';
import { openJobTestStores, type JobTestStores } from '../../support/jobs';
import type { TestStores } from '../../support/stores';

/**
 * Operator tasks are stored already released, then announced: a crash in between must not
 * lose them. Staged here on the real stores by an announcement that fails once stored.
 */
let stores: TestStores;
let deps: JobDeps;
let jobStores: JobTestStores;
const STALE_MS = 60_000;
const RPC = { method: 'GetRPCMethods' as const };

beforeAll(async () => {
  jobStores = await openJobTestStores();
  ({ stores, deps } = jobStores);
});
afterAll(async () => jobStores?.close());

const queueOf = async (id: string) => (await deps.devices.get(id, { taskQueue: 1 }))?.taskQueue ?? [];

it('a crash between storing tasks and announcing them: the reconciler announces them and drops those of unknown devices', async () => {
  const ids = await seedDevices(stores.db, ['CRASH0', 'CRASH1', 'CRASH2'].map((serialNumber) => ({ serialNumber })));
  const unknown = '00562B-CP%2D8851%2D3PCC-CRASHNONE';
  // the process dies as it announces: the tasks are stored, no queue names them
  const devices = Object.create(deps.devices, { announceMany: { value: () => Promise.reject(new Error('crash')) } }) as DeviceRepository;
  const crashing = new TaskDispatcher({ ...deps, devices });
  await expect(crashing.queueMany([ids[0], unknown, ids[1], ids[2]], RPC, { expiresAt: new Date(Date.now() + 3_600_000), connectionRequest: true, createdBy: 'test' })).rejects.toThrow('crash');
  const stored = await stores.db.collection<TaskDoc>('tasks').find({ deviceId: { $in: [...ids, unknown] } }).toArray();
  expect(stored).toHaveLength(4);
  for (const id of ids) expect(await queueOf(id)).toEqual([]);

  const reconciler = new Reconciler(deps, new TaskDispatcher(deps), STALE_MS);
  // not yet stale: the request may still be running
  expect(await reconciler.sweepTasks(new Date())).toMatchObject({ announced: 0, wakes: 0 });
  const later = new Date(Date.now() + STALE_MS + 1000);
  // the three devices get their tasks, and their connection requests are queued again
  expect(await reconciler.sweepTasks(later)).toEqual({ expired: 0, announced: 3, wakes: 3 });
  for (const id of ids) expect(await queueOf(id)).toEqual([stored.find((t) => t.deviceId === id)!._id]);
  expect(await stores.db.collection<TaskDoc>('tasks').countDocuments({ deviceId: unknown })).toBe(0);
  // done once: the record of the interrupted request is gone
  expect((await reconciler.sweepTasks(later)).announced).toBe(0);
});

it('a request that completes leaves no record for the reconciler', async () => {
  const ids = await seedDevices(stores.db, [{ serialNumber: 'DONE0' }]);
  const out = await new TaskDispatcher(deps).queueMany([ids[0], '00562B-CP%2D8851%2D3PCC-DONENONE'], RPC, { expiresAt: new Date(Date.now() + 3_600_000), connectionRequest: false, createdBy: 'test' });
  expect(out.unknown).toEqual(['00562B-CP%2D8851%2D3PCC-DONENONE']);
  expect(await queueOf(ids[0])).toEqual([out.queued[0]._id]);
  expect(await stores.db.collection('task_announcements').countDocuments({})).toBe(0);
});

it('a bulk request whose store batch fails starts no batch after it and ends once the one beside it has', async () => {
  const ids = await seedDevices(stores.db, [{ serialNumber: 'FAIL0' }]);
  // four batches of 1,000: the first two go together, the second fails while the first waits
  const deviceIds = [ids[0], ...Array.from({ length: 3999 }, (_, i) => `00562B-CP%2D8851%2D3PCC-FAILNONE${i}`)];
  let inserts = 0;
  let failed!: () => void;
  const failedOnce = new Promise<void>((resolve) => (failed = resolve));
  const insertNew = (batch: TaskDoc[]) => {
    inserts += 1;
    if (batch[0]!.deviceId !== deviceIds[1000]) return failedOnce.then(() => deps.tasks.insertNew(batch));
    failed();
    return Promise.reject(new Error('store lost'));
  };
  const tasks = Object.create(deps.tasks, { insertNew: { value: insertNew } }) as TaskRepository;
  await expect(new TaskDispatcher({ ...deps, tasks }).queueMany(deviceIds, RPC, { expiresAt: new Date(Date.now() + 3_600_000), connectionRequest: false, createdBy: 'test' })).rejects.toThrow('store lost');
  expect(inserts).toBe(2);
  // the batch beside the failed one was finished, not left half done
  expect(await queueOf(ids[0])).toHaveLength(1);
});
