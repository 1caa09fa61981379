import { FleetStats } from '../../../src/console/fleet-stats';
import { DeviceRepository } from '../../../src/devices/repository';
import { seedDevices } from '../../support/seed';
import { openTestStores, type TestStores } from '../../support/stores';

/** FleetStats on Redis and FerretDB: a rebuild sends its devices in several script calls. */
let stores: TestStores;

beforeAll(async () => {
  stores = await openTestStores();
});
afterAll(async () => stores?.close());

it('rebuilds the counters of more devices than one script call carries, replacing what the counters held, and forgets a device', async () => {
  const stats = new FleetStats(stores.redis, stores.redisPrefix);
  // counters that disagree with MongoDB: a device it does not hold
  await stats.apply([{ inform: { deviceId: 'ghost', at: new Date(), productClass: 'GHOST', bootstrap: true } }], '');
  const at = new Date(Date.now() - 10 * 60_000);
  const ids = await seedDevices(stores.db, [
    ...Array.from({ length: 700 }, (_, i) => ({ serialNumber: `FSA${i}`, lastInformAt: at })),
    ...Array.from({ length: 501 }, (_, i) => ({ serialNumber: `FSB${i}`, productClass: 'CP-7841-3PCC', softwareVersion: 'sip78xx.12-0-1MPP', lastInformAt: at })),
  ]);
  expect(await stats.rebuild(new DeviceRepository(stores.db))).toBe(1201);
  expect(await stats.read()).toMatchObject({
    total: 1201,
    seenLastHour: 1201,
    bootstrapOnly: 0,
    byProductClass: { 'CP-8851-3PCC': 700, 'CP-7841-3PCC': 501 },
    bySoftwareVersion: { 'sip88xx.12-0-1MPP-2': 700, 'sip78xx.12-0-1MPP': 501 },
  });
  await stats.forget(ids[0]!);
  await stats.forget(ids[1000]!);
  expect(await stats.read()).toMatchObject({ total: 1199, byProductClass: { 'CP-8851-3PCC': 699, 'CP-7841-3PCC': 500 } });
  expect(await stats.byClassAndVersion()).toEqual(
    expect.arrayContaining([
      { productClass: 'CP-8851-3PCC', version: 'sip88xx.12-0-1MPP-2', count: 699 },
      { productClass: 'CP-7841-3PCC', version: 'sip78xx.12-0-1MPP', count: 500 },
    ]),
  );
  expect(await stats.byClassAndVersion()).toHaveLength(2);
});

it('drops a count stored before its device was deleted, keeps one stored after or without a time, and forgets deletions after an hour', async () => {
  const stats = new FleetStats(stores.redis, stores.redisPrefix);
  const now = Date.now();
  const count = (deviceId: string, storedAt?: number) => stats.apply([{ inform: { deviceId, at: new Date(now), productClass: 'GONE-TEST', bootstrap: false, storedAt } }], '');
  const counted = async () => (await stats.read()).byProductClass['GONE-TEST'] ?? 0;

  await stats.forget('late', now);
  await count('late', now - 5); // stored, then deleted: the count arrived late
  expect(await counted()).toBe(0);
  await count('late', now); // the same millisecond: the deletion wins
  expect(await counted()).toBe(0);
  await count('late', now + 5); // informed again after the deletion
  expect(await counted()).toBe(1);

  await stats.forget('unchecked', now);
  await count('unchecked'); // no storing time: counted whatever was deleted
  expect(await counted()).toBe(2);

  // a deletion older than an hour is trimmed by the next one
  await stats.forget('old', now - 2 * 3_600_000);
  await stats.forget('someone-else', now);
  await count('old', now - 3 * 3_600_000);
  expect(await counted()).toBe(3);
});
