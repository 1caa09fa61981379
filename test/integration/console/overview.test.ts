import { redisKeys } from '../../../src/stores/redis-keys';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually, type ApiClient } from '../../support/api';
import { inform, ManualCpe } from '../../support/cwmp-client';
import { seedDevices } from '../../support/seed';
import type { Inform } from '../../../src/cwmp/soap/types';

/** GET /overview on seeded devices, then kept current by real sessions. */
let acs: TestAcs;
let api: ApiClient;
const HOUR = 3_600_000;

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp', 'api'] });
  api = apiClient(acs, await acs.token('viewer'));
});
afterAll(async () => acs?.close());

/** The Inform reporting software version sip88xx.14-2-1MPP. */
const upgraded = (i: Inform): Inform => ({ ...i, parameterList: i.parameterList.map((p) => (p.name.endsWith('SoftwareVersion') ? { ...p, value: 'sip88xx.14-2-1MPP' } : p)) });
const overview = async () => (await api.get('/overview')).body;

it('counts seeded devices once the counters are rebuilt from MongoDB', async () => {
  const now = Date.now();
  await seedDevices(acs.stores.db, [
    ...Array.from({ length: 4 }, (_, i) => ({ serialNumber: `OVA${i}`, lastInformAt: new Date(now - 10 * 60_000) })),
    ...Array.from({ length: 3 }, (_, i) => ({ serialNumber: `OVB${i}`, productClass: 'CP-7841-3PCC', softwareVersion: 'sip78xx.12-0-1MPP', lastInformAt: new Date(now - 5 * HOUR) })),
    ...Array.from({ length: 2 }, (_, i) => ({ serialNumber: `OVC${i}`, productClass: 'CP-7841-3PCC', softwareVersion: 'sip78xx.11-3-7MPP', lastInformAt: new Date(now - 3 * 24 * HOUR) })),
  ]);
  await acs.stores.db.collection('tasks').insertMany([
    { _id: 'a'.repeat(24), deviceId: 'x', status: 'fault', rpc: { method: 'Reboot' } },
    { _id: 'b'.repeat(24), deviceId: 'x', status: 'fault', faultCleared: true, rpc: { method: 'Reboot' } },
    { _id: 'c'.repeat(24), deviceId: 'x', status: 'done', rpc: { method: 'Reboot' } },
  ] as never[]);
  await acs.stores.db.collection('jobs').insertMany([{ _id: 'j1', state: 'releasing' }, { _id: 'j2', state: 'done' }, { _id: 'j3', state: 'planning' }] as never[]);

  // the first overview starts the comparison with MongoDB: not complete until it is done
  const started = Date.now();
  expect(await overview()).toMatchObject({ countersComplete: false, countersCheckedAt: null });
  const o = await eventually(overview, (b) => b.countersComplete === true);
  expect(Date.parse(o.countersCheckedAt)).toBeGreaterThanOrEqual(started - 1000);
  expect(o).toMatchObject({
    countersComplete: true,
    openFaults: 1,
    jobsRunning: 2,
    devices: {
      total: 9,
      seenLastHour: 4,
      seenLastDay: 7,
      neverSeenAfterBootstrap: 0,
      byProductClass: [{ value: 'CP-7841-3PCC', count: 5 }, { value: 'CP-8851-3PCC', count: 4 }],
      bySoftwareVersion: [
        { value: 'sip88xx.12-0-1MPP-2', count: 4 },
        { value: 'sip78xx.12-0-1MPP', count: 3 },
        { value: 'sip78xx.11-3-7MPP', count: 2 },
      ],
    },
  });
});

it('sessions keep the counters current: a bootstrap counts as never seen after it until the next Inform', async () => {
  const before = (await overview()).devices;
  const cpe = new ManualCpe(`${acs.cwmpUrl}/cwmp`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  // a new phone bootstraps
  expect((await cpe.exchange(upgraded(inform('OVNEW1', ['0 BOOTSTRAP', '1 BOOT'])))).envelope.body.method).toBe('InformResponse');
  expect((await cpe.post('')).status).toBe(204);
  let d = (await overview()).devices;
  expect(d).toMatchObject({ total: before.total + 1, seenLastHour: before.seenLastHour + 1, neverSeenAfterBootstrap: 1 });
  expect(d.bySoftwareVersion).toContainEqual({ value: 'sip88xx.14-2-1MPP', count: 1 });
  // it comes back periodically: no longer "never seen after bootstrap"
  const again = new ManualCpe(`${acs.cwmpUrl}/cwmp`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  await again.exchange(upgraded(inform('OVNEW1', ['2 PERIODIC'])));
  await again.post('');
  d = (await overview()).devices;
  expect(d.neverSeenAfterBootstrap).toBe(0);
  // a seeded phone last seen 3 days ago informs with a new software version: moved between versions
  const old = new ManualCpe(`${acs.cwmpUrl}/cwmp`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  await old.exchange({ ...upgraded(inform('OVC0', ['2 PERIODIC'])), deviceId: { manufacturer: 'Cisco Systems, Inc.', oui: '00562B', productClass: 'CP-7841-3PCC', serialNumber: 'OVC0' } });
  await old.post('');
  d = (await overview()).devices;
  expect(d.seenLastDay).toBe(before.seenLastDay + 2);
  expect(d.bySoftwareVersion).toContainEqual({ value: 'sip78xx.11-3-7MPP', count: 1 });
  expect(d.bySoftwareVersion).toContainEqual({ value: 'sip88xx.14-2-1MPP', count: 2 });
  expect(d.byProductClass).toContainEqual({ value: 'CP-7841-3PCC', count: 5 });
  // deleting a device through the API forgets it
  const admin = apiClient(acs, await acs.token('admin'));
  expect((await admin.delete('/devices/00562B-CP%252D7841%252D3PCC-OVC0')).status).toBe(204);
  const after = await overview();
  expect(after.countersComplete).toBe(true);
  expect(after.devices.bySoftwareVersion).toContainEqual({ value: 'sip88xx.14-2-1MPP', count: 1 });
  expect(after.devices.byProductClass).toContainEqual({ value: 'CP-7841-3PCC', count: 4 });
});

it('answers while a check runs, saying the counters may be short and when they were last checked', async () => {
  const checked = (await overview()).countersCheckedAt;
  expect(checked).toEqual(expect.any(String));
  // another api process is comparing the counters with MongoDB (its flag, as it sets it)
  const busy = redisKeys(acs.ctx.config.redisPrefix).console.fleet('rebuilding');
  await acs.ctx.redis.set(busy, '1', 'EX', 60);
  try {
    const o = await overview();
    expect(o).toMatchObject({ countersComplete: false, countersCheckedAt: checked });
    expect(o.devices.total).toBeGreaterThan(0);
  } finally {
    await acs.ctx.redis.del(busy);
  }
  expect((await overview()).countersComplete).toBe(true);
});
