import { Queue } from 'bullmq';
import { FleetStats } from '../../../src/console/fleet-stats';
import { bullConnection, bullPrefix, QUEUES } from '../../../src/jobs/queues';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually, type ApiClient } from '../../support/api';

/** The Administration page's API: the audit log's filters and the ACS's own health. */
let acs: TestAcs;
let admin: ApiClient;

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['api'] });
  admin = apiClient(acs, await acs.token('admin', 'health-admin'));
});
afterAll(async () => acs?.close());

it('filters the audit log by actor name, action, target and time range, refusing an empty range', async () => {
  const before = new Date(Date.now() - 1000).toISOString();
  const created = await admin.post('/tokens', { name: 'audit-probe', role: 'viewer' });
  expect(created.status).toBe(201);
  await admin.delete(`/tokens/${created.body.id}`);
  const after = new Date(Date.now() + 1000).toISOString();

  const byActor = await admin.get('/audit?actor=health-admin&limit=50');
  expect(byActor.status).toBe(200);
  expect(byActor.body.items.map((e: { action: string }) => e.action)).toEqual(['token.revoke', 'token.create']);
  const byTarget = await admin.get(`/audit?target=${created.body.id}&action=token.revoke`);
  expect(byTarget.body.items).toHaveLength(1);
  const inRange = await admin.get(`/audit?from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}&action=token.create`);
  expect(inRange.body.items).toHaveLength(1);
  const earlier = await admin.get(`/audit?to=${encodeURIComponent(before)}&action=token.create`);
  expect(earlier.body.items).toHaveLength(0);
  expect((await admin.get('/audit?actor=nobody-at-all')).body.items).toEqual([]);

  const empty = await admin.get(`/audit?from=${encodeURIComponent(after)}&to=${encodeURIComponent(before)}`);
  expect(empty.status).toBe(400);
  expect(empty.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'to' })]);
  expect((await admin.get('/audit?from=yesterday')).status).toBe(400);
});

it('reports roles and their readiness, queue depths and the session rate; admins only', async () => {
  const wake = new Queue(QUEUES.wake, { connection: bullConnection(acs.ctx.config), prefix: bullPrefix(acs.ctx.config) });
  try {
    await wake.add('probe', { deviceId: 'd', taskIds: [] }, { delay: 3_600_000 });
    await new FleetStats(acs.ctx.redis, acs.ctx.config.redisPrefix).apply([{ inform: { deviceId: 'health-probe-device', at: new Date(), productClass: 'CP-8851', bootstrap: false } }], '');
    const health = await eventually(
      () => admin.get('/admin/health'),
      (r) => r.status === 200 && r.body.processes.some((p: { pid: number }) => p.pid === process.pid),
    );
    expect(health.body.roles).toEqual(expect.arrayContaining([{ role: 'api', processes: 1, ready: 1 }, { role: 'cwmp', processes: 0, ready: 0 }]));
    expect(health.body.processes.find((p: { pid: number }) => p.pid === process.pid)).toMatchObject({ roles: ['api'], ready: true });
    expect(health.body.queues.find((q: { name: string }) => q.name === QUEUES.wake)).toMatchObject({ delayed: 1, waiting: 0 });
    expect(health.body.sessions.last5Minutes).toBeGreaterThanOrEqual(1);
    expect(health.body.sessions.perMinute).toBe(Math.round((health.body.sessions.last5Minutes / 5) * 10) / 10);
  } finally {
    await wake.obliterate({ force: true });
    await wake.close();
  }
  const operator = apiClient(acs, await acs.token('operator'));
  expect((await operator.get('/admin/health')).status).toBe(403);
});

it('without ACS_CONSOLE_OIDC_ISSUER there is no single sign-on: no button, and its routes answer 404', async () => {
  const anonymous = apiClient(acs);
  expect((await anonymous.get('/session', { token: null })).body.sso).toBeUndefined();
  expect((await anonymous.get('/session/oidc', { token: null })).status).toBe(404);
  expect((await anonymous.get('/session/oidc/callback?code=x&state=y', { token: null })).status).toBe(404);
});
