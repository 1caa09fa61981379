import { Fleet } from '../../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually } from '../../support/api';
import { startRoleProcess, type RoleProcess } from '../../support/role-process';
import { fromFleet, seedDevices } from '../../support/seed';

/**
 * A worker process killed (SIGKILL) in the middle of a job: a new worker finishes the job from
 * what MongoDB holds, and no phone is sent its RPC twice.
 */
const CR = { username: 'cr-user', password: 'cr-pass' };
let acs: TestAcs;
let fleet: Fleet;
const workers: RoleProcess[] = [];

/** `acs serve --roles worker` in its own process, on this test's stores. */
async function startWorker(): Promise<RoleProcess> {
  const worker = await startRoleProcess(['worker'], {
    MONGODB_URL: acs.stores.mongodbUrl,
    REDIS_URL: acs.stores.redisUrl,
    ACS_REDIS_PREFIX: acs.stores.redisPrefix,
    ACS_CR_USERNAME: CR.username,
    ACS_CR_PASSWORD: CR.password,
    ACS_RECONCILE_INTERVAL: '1',
    ACS_WORKER_PORT: '0',
    ACS_METRICS_PORT: '0',
  });
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp', 'api'] });
  fleet = new Fleet({
    acsUrl: `${acs.cwmpUrl}/cwmp`,
    count: 200,
    auth: 'digest',
    username: CPE_USERNAME,
    password: CPE_PASSWORD,
    serialPrefix: 'KILL',
    retry: false,
    connectionRequestUsername: CR.username,
    connectionRequestPassword: CR.password,
  });
  await fleet.start();
});
afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.kill()));
  await fleet?.stop(1000);
  await acs?.close();
});

it('a worker killed mid-job is replaced and the job finishes with no device done twice', async () => {
  const api = apiClient(acs, await acs.token('operator'));
  const sent = new Map<string, number>();
  fleet.on('session', (device, outcome) => {
    sent.set(device.deviceId, (sent.get(device.deviceId) ?? 0) + outcome.acsRequests.filter((m) => m === 'GetParameterValues').length);
  });
  await seedDevices(acs.stores.db, fromFleet(fleet.devices, { tags: ['kill'] }));
  const first = await startWorker();
  const probes = first.urls.worker;
  expect((await fetch(`${probes}/healthz`)).status).toBe(200);
  expect(await (await fetch(`${probes}/readyz`)).json()).toEqual({ status: 'ready' });
  expect((await fetch(`${probes}/api/v1/devices`)).status).toBe(404);
  const created = await api.post('/jobs', { rpcs: [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber'] }], target: { tag: 'kill' }, rate: 25, connectionRequest: true });
  expect(created.status).toBe(201);
  const job = () => api.get(`/jobs/${created.body.id}`);
  const midway = await eventually(job, (r) => r.body.released >= 40, 60_000);
  await first.kill();
  const atKill = (await job()).body;
  expect(atKill.released).toBeGreaterThanOrEqual(midway.body.released);
  expect(atKill.released).toBeLessThan(200);
  expect(atKill.status).toBe('running');

  const second = await startWorker();
  const done = await eventually(job, (r) => r.body.status === 'done', 120_000, 500);
  expect(await (await fetch(`${second.urls.metrics}/metrics`)).text()).toMatch(/^acs_job_steps_total\{step="release",result="ok"\} [1-9]/m);
  expect(done.body).toMatchObject({ status: 'done', devices: 200, released: 200, tasks: { done: 200, pending: 0, sent: 0, fault: 0 } });
  const tasks = await acs.stores.db.collection('tasks').find({ jobId: created.body.id }).toArray();
  expect(tasks).toHaveLength(200);
  expect(tasks.filter((t) => t.attempts !== 1)).toEqual([]);
  expect(sent.size).toBe(200);
  expect([...sent.entries()].filter(([, n]) => n !== 1)).toEqual([]);
});
