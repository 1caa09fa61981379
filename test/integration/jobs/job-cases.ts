import { ROLES, type RunningRole } from '../../../src/roles';
import { bullPrefix } from '../../../src/jobs/queues';
import { Fleet, type FleetDevice, type FleetOptions } from '../../../src/sim';
import { scanKeys } from '../../../src/stores/redis';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, eventually, type ApiClient } from '../../support/api';
import { fromFleet, seedDevices } from '../../support/seed';
import { FERRETDB_POOL_SIZE } from '../../../tools/local-stores';
import { selectCases, type SharedSuiteOptions } from '../../support/shared-cases';
import { deleteKeys } from '../../support/stores';

/**
 * Bulk jobs on the real stack: BullMQ on Redis, MongoDB, simulated phones woken by connection
 * requests; run on the test run's Redis (jobs.test.ts) and on a Redis Cluster (redis-ha).
 */
const CR = { username: 'cr-user', password: 'cr-pass' };
const MODEL = 'Device.DeviceInfo.ModelName';
const SERIAL = 'Device.DeviceInfo.SerialNumber';
/**
 * Sessions and connection requests in flight share the ACS's few FerretDB connections: each
 * lasts about (what is in flight) / (what the store serves per second). At 100 of each on a
 * busy machine a session outlasted the ACS's 30 s session timeout, the ACS dropped it (HTTP
 * 400) and, retries off, the phone never came back, so the job never finished. More than a few
 * at a time only queue at the store; they do not go faster.
 */
const IN_FLIGHT = 2 * FERRETDB_POOL_SIZE;
// The phones answer connection requests from the same busy process as the ACS and the worker;
// on a loaded CI machine that can take longer than the production default of 2 s.
export const ENV = { ACS_CR_USERNAME: CR.username, ACS_CR_PASSWORD: CR.password, ACS_RECONCILE_INTERVAL: '1', ACS_CR_CONCURRENCY: String(IN_FLIGHT), ACS_CR_TIMEOUT_MS: '15000' };

/** Phones that answer connection requests; `options` overrides the fleet's settings. */
export function phones(acs: TestAcs, count: number, serialPrefix: string, options: Partial<FleetOptions> = {}): Fleet {
  return new Fleet({
    acsUrl: `${acs.cwmpUrl}/cwmp`,
    count,
    auth: 'digest',
    username: CPE_USERNAME,
    password: CPE_PASSWORD,
    serialPrefix,
    retry: false,
    connectionRequestUsername: CR.username,
    connectionRequestPassword: CR.password,
    concurrency: IN_FLIGHT,
    ...options,
  });
}

/** How many times each phone was sent each RPC method, from the sessions it ran. */
function countRequests(fleet: Fleet): Map<string, Record<string, number>> {
  const counts = new Map<string, Record<string, number>>();
  fleet.on('session', (device, outcome) => {
    const c = counts.get(device.deviceId) ?? {};
    for (const m of outcome.acsRequests) c[m] = (c[m] ?? 0) + 1;
    counts.set(device.deviceId, c);
  });
  return counts;
}

const finished = (api: ApiClient, id: string, timeoutMs = 120_000) =>
  eventually(
    () => api.get(`/jobs/${id}`),
    (r) => ['done', 'cancelled'].includes(r.body.status),
    timeoutMs,
    250,
  );

type JobReply = Awaited<ReturnType<ApiClient['get']>>;
const settledTasks = (r: JobReply) => {
  const t = r.body.tasks ?? {};
  return (t.done ?? 0) + (t.fault ?? 0) + (t.expired ?? 0) + (t.cancelled ?? 0);
};

/**
 * The job's end, however long its devices take on this machine, as long as it keeps moving: a
 * big job's duration depends on the machine's load, not on the code, so only a job in which no
 * task settles for `stallMs` counts as stuck (and is returned as it stands).
 */
async function finishedWhileMoving(api: ApiClient, id: string, stallMs = 60_000): Promise<JobReply> {
  let last = await api.get(`/jobs/${id}`);
  let movedAt = Date.now();
  while (!['done', 'cancelled'].includes(last.body.status) && Date.now() - movedAt < stallMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const next = await api.get(`/jobs/${id}`);
    if (settledTasks(next) > settledTasks(last)) movedAt = Date.now();
    last = next;
  }
  return last;
}

async function allTasks(api: ApiClient, jobId: string) {
  const items: Array<{ deviceId: string; status: string; attempts: number; result?: { parameterList: Array<{ name: string; value: unknown }> } }> = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const r = await api.get(`/jobs/${jobId}/tasks?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export function jobSuites(options: SharedSuiteOptions = {}): void {
  const { test, checked } = selectCases(options.only);
  describe('with a worker', () => {
    let acs: TestAcs;
    let api: ApiClient;
    const fleets: Fleet[] = [];
    beforeAll(async () => {
      acs = await startTestAcs(ENV, { roles: ['cwmp', 'api', 'worker'], openStores: options.openStores });
      api = apiClient(acs, await acs.token('operator'));
    });
    afterAll(async () => {
      await Promise.allSettled(fleets.map((f) => f.stop(1000)));
      await acs?.close();
    });

    test('runs a job over 1,000 simulated phones to the end, with every device\'s result, each device once', async () => {
      const fleet = phones(acs, 1000, 'BULK');
      fleets.push(fleet);
      await fleet.start();
      const sent = countRequests(fleet);
      await seedDevices(acs.stores.db, fromFleet(fleet.devices, { tags: ['floor-3'] }));
      const created = await api.post('/jobs', {
        name: 'inventory',
        rpcs: [{ method: 'GetParameterValues', parameterNames: [MODEL, SERIAL] }],
        target: { tag: 'floor-3' },
        rate: 500,
        connectionRequest: true,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'planning', devices: null, released: 0, rate: 500, createdBy: 'test-operator' });
      let job: JobReply;
      try {
        job = await finishedWhileMoving(api, created.body.id);
      } finally {
        // A stuck job must not go on loading the worker and the stores under the next tests.
        await api.post(`/jobs/${created.body.id}/cancel`);
      }
      expect(job.body).toMatchObject({ status: 'done', devices: 1000, released: 1000, tasks: { done: 1000, pending: 0, sent: 0, fault: 0, expired: 0, cancelled: 0 } });
      expect(job.body.finishedAt).toBeDefined();
      const results = await allTasks(api, created.body.id);
      expect(results).toHaveLength(1000);
      const byId = new Map<string, FleetDevice>(fleet.devices.map((d) => [d.deviceId, d]));
      for (const t of results) {
        const device = byId.get(t.deviceId)!;
        expect(t).toMatchObject({ status: 'done', attempts: 1 });
        expect(t.result!.parameterList).toEqual(expect.arrayContaining([expect.objectContaining({ name: SERIAL, value: device.serialNumber })]));
      }
      expect([...sent.values()].filter((c) => c.GetParameterValues === 1)).toHaveLength(1000);
      expect([...sent.values()].filter((c) => (c.GetParameterValues ?? 0) > 1)).toEqual([]);
      // 1,000 sessions on 2 shared cores: about 50 s alone, several minutes on a loaded machine;
      // finishedWhileMoving fails a job that stops moving long before this outer bound.
    }, 900_000);

    test('pauses, resumes and cancels; cancelled tasks leave the devices\' queues', async () => {
      const ids = await seedDevices(acs.stores.db, Array.from({ length: 40 }, (_, i) => ({ serialNumber: `PAUSE${i}`, softwareVersion: 'sip88xx.11-0-1MPP' })));
      const created = await api.post('/jobs', { rpcs: [{ method: 'Reboot' }, { method: 'GetRPCMethods' }], target: { filter: { softwareVersion: 'sip88xx.11-0-1MPP' } }, rate: 4, paused: true });
      const planned = await eventually(() => api.get(`/jobs/${created.body.id}`), (r) => r.body.devices !== null);
      expect(planned.body).toMatchObject({ status: 'paused', devices: 40, released: 0, tasks: { pending: 80 } });
      expect((await api.post(`/jobs/${created.body.id}/pause`)).status).toBe(409);
      expect((await api.post(`/jobs/${created.body.id}/resume`)).body.status).toBe('running');
      const moving = await eventually(() => api.get(`/jobs/${created.body.id}`), (r) => r.body.released >= 4);
      expect(moving.body.released).toBeLessThan(40);
      const paused = await api.post(`/jobs/${created.body.id}/pause`);
      expect(paused.body.status).toBe('paused');
      const releasedAtPause = (await eventually(() => api.get(`/jobs/${created.body.id}`), () => true)).body.released;
      await new Promise((r) => setTimeout(r, 1200));
      expect((await api.get(`/jobs/${created.body.id}`)).body.released).toBeLessThanOrEqual(releasedAtPause + 1);

      const cancelling = await api.post(`/jobs/${created.body.id}/cancel`);
      expect(cancelling.body.status).toBe('cancelling');
      const cancelled = await finished(api, created.body.id, 30_000);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', tasks: { cancelled: 80, pending: 0 } });
      const devices = await acs.stores.db.collection('devices').find({ _id: { $in: ids as never[] } }).toArray();
      expect(devices.filter((d) => d.taskQueue.length)).toEqual([]);
      expect((await api.post(`/jobs/${created.body.id}/cancel`)).status).toBe(409);
      expect((await api.post(`/jobs/${created.body.id}/resume`)).status).toBe(409);
      const listed = await api.get('/jobs?limit=1');
      expect(listed.body.items[0]).toMatchObject({ id: created.body.id, status: 'cancelled' });
    });

    test('releases a job in waves: it pauses exactly where each wave ends until resumed', async () => {
      await seedDevices(acs.stores.db, Array.from({ length: 10 }, (_, i) => ({ serialNumber: `WAVE${i}`, softwareVersion: 'sip88xx.10-0-1MPP' })));
      const created = await api.post('/jobs', { rpcs: [{ method: 'GetRPCMethods' }], target: { filter: { softwareVersion: 'sip88xx.10-0-1MPP' } }, rate: 100, waves: [{ count: 3 }, { percent: 50 }, { percent: 100 }] });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const first = await eventually(() => api.get(`/jobs/${id}`), (r) => r.body.status === 'paused', 30_000);
      expect(first.body).toMatchObject({ released: 3, devices: 10, waveEnds: [3, 5], waves: [{ count: 3 }, { percent: 50 }, { percent: 100 }] });
      expect((await api.post(`/jobs/${id}/resume`)).status).toBe(200);
      const second = await eventually(() => api.get(`/jobs/${id}`), (r) => r.body.status === 'paused' && r.body.released > 3, 30_000);
      expect(second.body.released).toBe(5);
      expect((await api.post(`/jobs/${id}/resume`)).status).toBe(200);
      const last = await eventually(() => api.get(`/jobs/${id}`), (r) => r.body.released === 10, 30_000);
      expect(last.body.status).toBe('running');
      expect((await api.get(`/jobs/${id}/tasks?status=pending&limit=100`)).body.items.every((t: { released: boolean }) => t.released)).toBe(true);
      expect((await api.post(`/jobs/${id}/cancel`)).status).toBe(200);
      await finished(api, id, 30_000);
    });

    test('refuses bad jobs, naming the field, and creates nothing', async () => {
      const before = await acs.stores.db.collection('jobs').countDocuments();
      const tasksBefore = await acs.stores.db.collection('tasks').countDocuments();
      const [known] = await seedDevices(acs.stores.db, [{ serialNumber: 'JOBBAD1' }]);
      const rpcs = [{ method: 'Reboot' }];
      const cases: Array<[unknown, number, string]> = [
        [{ rpcs, target: { deviceIds: [known, '000000-NO-SUCH', '000000-NO-OTHER'] } }, 422, 'target.deviceIds.1'],
        [{ rpcs, target: { filter: { params: { [MODEL]: 'CP-8851' } } } }, 400, `target.filter.params.${MODEL}`],
        [{ rpcs, target: { tag: 'a', filter: {} } }, 400, 'target'],
        [{ rpcs, target: {} }, 400, 'target'],
        [{ rpcs: [], target: { tag: 'a' } }, 400, 'rpcs'],
        [{ rpcs: [{ method: 'SetParameterValues' }], target: { tag: 'a' } }, 400, 'rpcs.0.parameterList'],
        [{ rpcs: [{ method: 'Download', fileType: '1 Firmware Upgrade Image' }], target: { tag: 'a' } }, 400, 'rpcs.0.url'],
        [{ rpcs, target: { tag: 'a' }, rate: 0 }, 400, 'rate'],
        [{ rpcs, target: { tag: 'a' }, rate: 'fast' }, 400, 'rate'],
        [{ rpcs, target: { tag: 'a' }, priority: 1 }, 400, 'priority'],
        [{ rpcs, target: { filter: { colour: 'red' } } }, 400, 'target.filter.colour'],
        [{ rpcs, target: { tag: 'a' }, waves: [{ percent: 100 }, { count: 3 }] }, 400, 'waves.0.percent'],
        [{ rpcs, target: { tag: 'a' }, waves: [{ count: 3 }, { percent: 50, count: 4 }] }, 400, 'waves.1'],
        [{ rpcs, target: { tag: 'a' }, waves: [{ percent: 0 }] }, 400, 'waves.0.percent'],
      ];
      for (const [body, status, field] of cases) {
        const r = await api.post('/jobs', body);
        expect({ field, status: r.status }).toEqual({ field, status });
        expect({ field, named: r.body.errors.map((e: { field: string }) => e.field) }).toEqual({ field, named: expect.arrayContaining([field]) });
      }
      expect(await acs.stores.db.collection('jobs').countDocuments()).toBe(before);
      expect(await acs.stores.db.collection('tasks').countDocuments()).toBe(tasksBefore);
      // with scan, the parameter filter is accepted
      expect((await api.post('/jobs', { rpcs, target: { filter: { params: { [MODEL]: 'none-such' } } }, scan: true })).status).toBe(201);
    });

    test('previews how many devices a target covers, refusing what creating would, creating nothing', async () => {
      const ids = await seedDevices(acs.stores.db, [
        { serialNumber: 'PREV1', tags: ['preview-a'] },
        { serialNumber: 'PREV2', tags: ['preview-a'], productClass: 'CP-7841-3PCC' },
        { serialNumber: 'PREV3', tags: ['preview-b'] },
      ]);
      const jobsBefore = await acs.stores.db.collection('jobs').countDocuments();
      const tasksBefore = await acs.stores.db.collection('tasks').countDocuments();
      const tagged = await api.post('/jobs/preview', { target: { tag: 'preview-a' } });
      expect(tagged.status).toBe(200);
      expect(tagged.body.devices).toBe(2);
      expect([...tagged.body.sample].sort()).toEqual([ids[0], ids[1]].sort());
      expect((await api.post('/jobs/preview', { target: { filter: { tags: ['preview-a'], productClass: 'CP-7841-3PCC' } } })).body).toEqual({ devices: 1, sample: [ids[1]] });
      expect((await api.post('/jobs/preview', { target: { tag: 'preview-none' } })).body).toEqual({ devices: 0, sample: [] });
      expect((await api.post('/jobs/preview', { target: { deviceIds: [ids[2]] } })).body).toEqual({ devices: 1, sample: [ids[2]] });
      const cases: Array<[unknown, number, string]> = [
        [{ target: { deviceIds: [ids[0], '000000-NO-SUCH'] } }, 422, 'target.deviceIds.1'],
        [{ target: { filter: { params: { [MODEL]: 'CP-8851' } } } }, 400, `target.filter.params.${MODEL}`],
        [{ target: {} }, 400, 'target'],
        [{ target: { tag: 'a' }, rate: 5 }, 400, 'rate'],
      ];
      for (const [body, status, field] of cases) {
        const r = await api.post('/jobs/preview', body);
        expect({ field, status: r.status, named: r.body.errors.map((e: { field: string }) => e.field) }).toEqual({ field, status, named: expect.arrayContaining([field]) });
      }
      expect((await api.post('/jobs/preview', { target: { filter: { params: { [MODEL]: 'none-such' } } }, scan: true })).body.devices).toBe(0);
      expect(await acs.stores.db.collection('jobs').countDocuments()).toBe(jobsBefore);
      expect(await acs.stores.db.collection('tasks').countDocuments()).toBe(tasksBefore);
      const viewer = apiClient(acs, await acs.token('viewer'));
      expect((await viewer.post('/jobs/preview', { target: { tag: 'preview-a' } })).status).toBe(403);
    });
  });

  describe('when Redis loses the queues', () => {
    test('rebuilds them from MongoDB: held tasks, connection requests and jobs all complete', async () => {
      const acs = await startTestAcs(ENV, { roles: ['cwmp', 'api'], openStores: options.openStores });
      const fleet = phones(acs, 20, 'FLUSH');
      let worker: RunningRole | undefined;
      try {
        const api = apiClient(acs, await acs.token('operator'));
        await fleet.start();
        const sent = countRequests(fleet);
        await seedDevices(acs.stores.db, fromFleet(fleet.devices, { tags: ['flush'] }));
        const single = await api.post(`/devices/${enc(fleet.device(0).deviceId)}/tasks`, { rpc: { method: 'GetParameterValues', parameterNames: [MODEL] }, connectionRequest: true });
        const job = await api.post('/jobs', { rpcs: [{ method: 'GetParameterValues', parameterNames: [SERIAL] }], target: { tag: 'flush' }, rate: 100, connectionRequest: true });
        expect(await scanKeys(acs.stores.redis, `${bullPrefix(acs.ctx.config)}:*`, 1)).not.toEqual([]);
        await deleteKeys(acs.stores.redis, acs.stores.redisPrefix);
        worker = await ROLES.worker(acs.ctx);
        expect((await finished(api, job.body.id, 60_000)).body).toMatchObject({ status: 'done', tasks: { done: 20 } });
        expect((await eventually(() => api.get(`/tasks/${single.body.id}`), (r) => r.body.status === 'done')).body).toMatchObject({ status: 'done', connectionRequest: { status: 'woke' } });
        expect(sent.get(fleet.device(0).deviceId)?.GetParameterValues).toBe(2);
        expect([...sent.values()].every((c) => c.GetParameterValues <= 2)).toBe(true);
      } finally {
        await worker?.close();
        await fleet.stop(1000);
        await acs.close();
      }
    });
  });
  checked();
}
