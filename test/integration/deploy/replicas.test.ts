import { Fleet } from '../../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually } from '../../support/api';
import { RoundRobinProxy } from '../../support/proxy';
import { startRoleProcess, type RoleProcess } from '../../support/role-process';
import { fromFleet, seedDevices } from '../../support/seed';

/**
 * Two cwmp and two worker processes on one MongoDB and one Redis, behind a round-robin proxy
 * with no session affinity, so consecutive requests of one session land on either cwmp
 * replica. 500 phones are each given a task by a job; one cwmp replica is SIGKILLed while it
 * holds a phone's answer to its task. Every task still ends once, done, and the only phones
 * asked twice are ones whose session the kill broke.
 */
const PHONES = 500;
const CR = { username: 'cr-user', password: 'cr-pass' };
let acs: TestAcs;
let fleet: Fleet;
let proxy: RoundRobinProxy;
const processes: RoleProcess[] = [];

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['api'] });
  const env = {
    MONGODB_URL: acs.stores.mongodbUrl,
    REDIS_URL: acs.stores.redisUrl,
    ACS_REDIS_PREFIX: acs.stores.redisPrefix,
    ACS_BIND_ADDRESS: '127.0.0.1',
    ACS_CWMP_PORT: '0',
    ACS_WORKER_PORT: '0',
    ACS_METRICS_PORT: '0',
    ACS_CWMP_USERNAME: CPE_USERNAME,
    ACS_CWMP_PASSWORD: CPE_PASSWORD,
    // A killed replica's sessions hold their device's lock and task this long (the default 30 s:
    // on a loaded machine a live session's steps can be seconds apart).
    ACS_CWMP_SESSION_TIMEOUT: '30',
    // The phones share this process with the test: slow answers are not unreachable phones.
    ACS_CR_TIMEOUT_MS: '10000',
    ACS_TRUSTED_PROXIES: '127.0.0.1/32',
    ACS_CR_USERNAME: CR.username,
    ACS_CR_PASSWORD: CR.password,
    ACS_RECONCILE_INTERVAL: '1',
  };
  processes.push(...(await Promise.all([['cwmp'], ['cwmp'], ['worker'], ['worker']].map((roles) => startRoleProcess(roles, env)))));
  proxy = new RoundRobinProxy([processes[0].urls.cwmp, processes[1].urls.cwmp]);
  const proxyUrl = await proxy.start();
  fleet = new Fleet({
    acsUrl: `${proxyUrl}/cwmp`,
    count: PHONES,
    auth: 'digest',
    username: CPE_USERNAME,
    password: CPE_PASSWORD,
    serialPrefix: 'REPL',
    connectionRequestUsername: CR.username,
    connectionRequestPassword: CR.password,
    // As in the field, a phone whose connection request was lost still comes in periodically.
    periodic: true,
    periodicInformInterval: 60,
  });
  await fleet.start();
  // TR-069's retry back-off after the kill starts at 1 s rather than the phones' default 5 s.
  for (const d of fleet.devices) d.model.set('Device.ManagementServer.CWMPRetryMinimumWaitInterval', 1);
}, 120_000);

afterAll(async () => {
  await fleet?.stop(1000);
  await proxy?.close();
  await Promise.allSettled(processes.map((p) => p.stop()));
  await acs?.close();
});

it('500 phones behind two cwmp replicas without affinity: a replica killed mid-run, every task ends once', async () => {
  const api = apiClient(acs, await acs.token('operator'));
  const asked = new Map<string, number>();
  const broken = new Set<string>();
  fleet.on('session', (device, outcome) => {
    const gets = outcome.acsRequests.filter((m) => m === 'GetParameterValues').length;
    asked.set(device.deviceId, (asked.get(device.deviceId) ?? 0) + gets);
    if (!outcome.ok) broken.add(device.deviceId);
  });
  // A phone whose first periodic Inform falls in the first seconds registers itself while the
  // seed runs (its documents then exist: E11000); it is tagged like the others.
  await seedDevices(acs.stores.db, fromFleet(fleet.devices, { tags: ['replicas'] })).catch((err: { code?: number }) => {
    if (err.code !== 11000) throw err;
  });
  await acs.stores.db.collection<{ _id: string; tags?: string[] }>('devices').updateMany({ _id: { $in: fleet.devices.map((d) => d.deviceId) } }, { $addToSet: { tags: 'replicas' } });

  const victim = processes[0];
  let answersSeen = 0;
  let killed: Promise<void> | undefined;
  proxy.on('forwarded', (index, body) => {
    if (killed || index !== 0 || !body.includes('GetParameterValuesResponse')) return;
    // Mid-run, and while the replica holds a phone's answer it has not acknowledged.
    if (++answersSeen >= 100) killed = victim.kill();
  });

  const created = await api.post('/jobs', {
    rpcs: [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber'] }],
    target: { tag: 'replicas' },
    rate: 50,
    connectionRequest: true,
  });
  expect(created.status).toBe(201);
  const job = () => api.get(`/jobs/${created.body.id}`);
  const done = await eventually(job, (r) => r.body.status === 'done' && r.body.tasks.done === PHONES, 240_000, 500);
  expect(killed).toBeDefined();
  await killed;

  expect(done.body).toMatchObject({ status: 'done', devices: PHONES, released: PHONES, tasks: { done: PHONES, pending: 0, sent: 0, fault: 0 } });
  const tasks = await acs.stores.db.collection('tasks').find({ jobId: created.body.id }).toArray();
  expect(tasks).toHaveLength(PHONES);
  expect(new Set(tasks.map((t) => t.deviceId)).size).toBe(PHONES);
  expect(tasks.filter((t) => t.status !== 'done' || !t.completedAt)).toEqual([]);

  // Both replicas served sessions, and the kill cost requests in flight.
  expect(proxy.counts.forwarded.every((n) => n > 0)).toBe(true);
  expect(proxy.counts.dropped[0]).toBeGreaterThanOrEqual(1);
  // Every phone was asked; asked again only when the kill broke a session that carried the
  // question (TR-069 delivers at least once), never more often than it was claimed.
  expect(asked.size).toBe(PHONES);
  expect([...asked.values()].filter((n) => n < 1)).toEqual([]);
  const again = [...asked.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  expect(again.filter((id) => !broken.has(id))).toEqual([]);
  expect(again.length).toBeLessThanOrEqual(proxy.counts.dropped[0]);
  const attempts = new Map(tasks.map((t) => [t.deviceId as string, t.attempts as number]));
  expect([...asked.entries()].filter(([id, n]) => n > (attempts.get(id) ?? 0))).toEqual([]);

  // The surviving replica and both workers did their part.
  const metrics = await Promise.all(processes.slice(1).map(async (p) => (await fetch(`${p.urls.metrics}/metrics`)).text()));
  expect(metrics[0]).toMatch(/^acs_cwmp_sessions_total\{outcome="completed"\} [1-9]/m);
  expect(metrics.slice(1).join('\n')).toMatch(/^acs_connection_requests_total\{[^}]*\} [1-9]/m);
}, 300_000);
