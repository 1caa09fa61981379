import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Fleet } from '../../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually } from '../../support/api';
import { fromFleet, seedDevices } from '../../support/seed';

/**
 * A worker process killed (SIGKILL) in the middle of a job: a new worker finishes the job from
 * what MongoDB holds, and no phone is sent its RPC twice.
 */
const CR = { username: 'cr-user', password: 'cr-pass' };
const ROOT = path.join(__dirname, '..', '..', '..');
let acs: TestAcs;
let fleet: Fleet;
const children: ChildProcess[] = [];

/**
 * `acs serve --roles worker` in its own process, on this test's stores; resolves once it runs,
 * with the URL of its probe port.
 */
async function startWorker(): Promise<{ child: ChildProcess; url: string; metricsUrl: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', 'serve', '--roles', 'worker'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      MONGODB_URL: acs.stores.mongodbUrl,
      REDIS_URL: acs.stores.redisUrl,
      ACS_REDIS_PREFIX: acs.stores.redisPrefix,
      ACS_CR_USERNAME: CR.username,
      ACS_CR_PASSWORD: CR.password,
      ACS_RECONCILE_INTERVAL: '1',
      ACS_WORKER_PORT: '0',
      ACS_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const [url, metricsUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s:\n${output.slice(-2000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const started = /"event":"worker\.started".*?"url":"([^"]+)"/.exec(output);
      const metrics = /"event":"role\.started","role":"metrics","url":"([^"]+)"/.exec(output);
      if (started && metrics) {
        clearTimeout(timer);
        resolve([started[1], metrics[1]]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  child.removeAllListeners('exit');
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, url, metricsUrl };
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
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
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
  const { child: first, url: probes } = await startWorker();
  expect((await fetch(`${probes}/healthz`)).status).toBe(200);
  expect(await (await fetch(`${probes}/readyz`)).json()).toEqual({ status: 'ready' });
  expect((await fetch(`${probes}/api/v1/devices`)).status).toBe(404);
  const created = await api.post('/jobs', { rpcs: [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber'] }], target: { tag: 'kill' }, rate: 25, connectionRequest: true });
  expect(created.status).toBe(201);
  const job = () => api.get(`/jobs/${created.body.id}`);
  const midway = await eventually(job, (r) => r.body.released >= 40, 60_000);
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const atKill = (await job()).body;
  expect(atKill.released).toBeGreaterThanOrEqual(midway.body.released);
  expect(atKill.released).toBeLessThan(200);
  expect(atKill.status).toBe('running');

  const second = await startWorker();
  const done = await eventually(job, (r) => r.body.status === 'done', 120_000, 500);
  expect(await (await fetch(`${second.metricsUrl}/metrics`)).text()).toMatch(/^acs_job_steps_total\{step="release",result="ok"\} [1-9]/m);
  expect(done.body).toMatchObject({ status: 'done', devices: 200, released: 200, tasks: { done: 200, pending: 0, sent: 0, fault: 0 } });
  const tasks = await acs.stores.db.collection('tasks').find({ jobId: created.body.id }).toArray();
  expect(tasks).toHaveLength(200);
  expect(tasks.filter((t) => t.attempts !== 1)).toEqual([]);
  expect(sent.size).toBe(200);
  expect([...sent.entries()].filter(([, n]) => n !== 1)).toEqual([]);
});
