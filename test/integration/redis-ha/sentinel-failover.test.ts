import type { Fleet } from '../../../src/sim';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually } from '../../support/api';
import { redisServersBlocker, startSentinelSet, type SentinelSet } from '../../support/redis-servers';
import { fromFleet, seedDevices } from '../../support/seed';
import { openTestStores } from '../../support/stores';
import { ENV, phones } from '../jobs/job-cases';

/**
 * A Redis Sentinel fail-over in the middle of a job over 200 simulated phones: the ACS (cwmp,
 * api and worker roles) follows the new master, and every phone is sent its RPC exactly once.
 * Requests that meet the switch itself fail fast (as when Redis is away); the phones retry a
 * failed session with TR-069's back-off, as real ones do, and MongoDB still holds their tasks.
 */
// Missing Redis binaries that apt-get cannot install fail the file, naming what to install.
const blocker = redisServersBlocker();
let set: SentinelSet | undefined;
let acs: TestAcs | undefined;
let fleet: Fleet | undefined;

beforeAll(async () => {
  if (blocker) throw new Error(`Redis Sentinel cannot start: ${blocker}`);
  set = await startSentinelSet();
  acs = await startTestAcs(
    ENV,
    { roles: ['cwmp', 'api', 'worker'], openStores: () => openTestStores({ redisUrl: set!.url }) },
  );
  // phones retry a failed session (the default), as TR-069 has them do
  fleet = phones(acs, 200, 'SENT', { retry: true });
  await fleet.start();
}, 90_000);
afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
  await set?.close();
});

it('a Sentinel fail-over mid-job loses no task and runs none twice', async () => {
  const api = apiClient(acs!, await acs!.token('operator'));
  const sent = new Map<string, number>();
  const failed: string[] = [];
  fleet!.on('session', (device, outcome) => {
    if (!outcome.ok) failed.push(`${outcome.reason} ${outcome.httpStatus ?? ''} ${outcome.detail ?? ''}`);
    sent.set(device.deviceId, (sent.get(device.deviceId) ?? 0) + outcome.acsRequests.filter((m) => m === 'GetParameterValues').length);
  });
  await seedDevices(acs!.stores.db, fromFleet(fleet!.devices, { tags: ['sentinel'] }));
  const created = await api.post('/jobs', { rpcs: [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber'] }], target: { tag: 'sentinel' }, rate: 20, connectionRequest: true });
  expect(created.status).toBe(201);
  const job = () => api.get(`/jobs/${created.body.id}`);
  await eventually(job, (r) => r.body.released >= 40, 60_000);

  const before = await set!.masterPort();
  const after = await set!.failover();
  expect(after).not.toBe(before);
  const atFailover = (await job()).body;
  expect(atFailover.status).toBe('running');
  expect(atFailover.tasks.done).toBeLessThan(200);

  const done = await eventually(job, (r) => r.body.status === 'done', 120_000, 500);
  const tasks = await acs!.stores.db.collection('tasks').find({ jobId: created.body.id }).toArray();
  process.stderr.write(`sessions that failed and were retried: ${failed.length}${failed.length ? ` (${[...new Set(failed)].slice(0, 8).join('; ')})` : ''}\n`);
  expect(tasks.filter((t) => t.status !== 'done' || t.attempts !== 1)).toEqual([]);
  expect(done.body).toMatchObject({ status: 'done', devices: 200, released: 200, tasks: { done: 200, pending: 0, sent: 0, fault: 0 } });
  expect(sent.size).toBe(200);
  expect([...sent.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  // the ACS writes to the new master now
  await acs!.ctx.redis.set(`${acs!.stores.redisPrefix}after-failover`, '1');
  expect(await acs!.ctx.redis.call('ROLE')).toEqual(expect.arrayContaining(['master']));
}, 240_000);
