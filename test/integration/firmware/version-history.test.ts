import { FileStore } from '../../../src/files';
import { Fleet } from '../../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually, type ApiClient } from '../../support/api';
import { seedDevices } from '../../support/seed';
import { openTestStores, type TestStores } from '../../support/stores';

/**
 * What the console's firmware and files pages read beyond part 1: the worker's snapshots of
 * software versions per product class, refusals that name their field, and the download log
 * of one file. Real stores, a real worker, a simulated phone.
 */
let stores: TestStores;
let acs: TestAcs;
let api: ApiClient;

beforeAll(async () => {
  // Devices that are in MongoDB before the ACS starts, as after an import: the worker's first
  // check finds the counters short of them and rebuilds them.
  stores = await openTestStores();
  await seedDevices(stores.db, [
    ...Array.from({ length: 3 }, (_, i) => ({ serialNumber: `VHA${i}` })),
    ...Array.from({ length: 2 }, (_, i) => ({ serialNumber: `VHB${i}`, productClass: 'CP-7841-3PCC', softwareVersion: 'sip78xx.12-0-1MPP' })),
  ]);
  acs = await startTestAcs({ ACS_VERSION_SNAPSHOT_INTERVAL: '1' }, { roles: ['cwmp', 'api', 'worker'], stores });
  api = apiClient(acs, await acs.token('admin'));
});
afterAll(async () => {
  await acs?.close();
  await stores?.close();
});

type Point = { at: string; counts: { productClass: string; version: string; count: number }[] };
const count = (p: Point | undefined, productClass: string, version: string) => p?.counts.find((c) => c.productClass === productClass && c.version === version)?.count ?? 0;
const latest = async (query = '') => ((await api.get(`/firmware/version-history${query}`)).body.points as Point[]).at(-1);

it('the worker snapshots devices per product class and version, rebuilt from MongoDB, then kept by sessions', async () => {
  const seeded = await eventually(latest, (p) => count(p, 'CP-7841-3PCC', 'sip78xx.12-0-1MPP') === 2, 30_000);
  expect(seeded?.counts).toEqual(expect.arrayContaining([{ productClass: 'CP-8851-3PCC', version: 'sip88xx.12-0-1MPP-2', count: 3 }, { productClass: 'CP-7841-3PCC', version: 'sip78xx.12-0-1MPP', count: 2 }]));

  // a phone's first Inform counts at once, in the next snapshot
  const fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 1, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'VHS', retry: false, firmwareRelease: '12-0-2MPP-1' });
  await fleet.start();
  try {
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: true });
    const after = await eventually(latest, (p) => count(p, 'CP-8851-3PCC', 'sip88xx.12-0-2MPP-1') === 1, 30_000);
    expect(count(after, 'CP-8851-3PCC', 'sip88xx.12-0-1MPP-2')).toBe(3);
  } finally {
    await fleet.stop(1000);
  }

  const body = (await api.get('/firmware/version-history?productClass=CP-7841-3PCC')).body;
  expect(body.intervalSeconds).toBe(1);
  expect(body.points.length).toBeGreaterThan(1);
  expect(body.points.at(-1).counts).toEqual([{ productClass: 'CP-7841-3PCC', version: 'sip78xx.12-0-1MPP', count: 2 }]);
  // oldest first, one per interval
  const times = (body.points as Point[]).map((p) => Date.parse(p.at));
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  expect((await api.get('/firmware/version-history?since=yesterday')).status).toBe(400);
});

it('a refused policy names each field, as the form shows it', async () => {
  await new FileStore(acs.stores.db, acs.ctx.config.fs.maxFileBytes).upload(
    (async function* () {
      yield Buffer.alloc(64, 1);
    })(),
    { filename: 'sip88xx.12-0-3MPP-1.loads', kind: 'firmware', productClasses: ['CP-8851-3PCC'] },
  );
  const r = await api.put('/firmware/policies/CP-8851-3PCC', { target: 'sip88xx.12-0-3MPP-1', stages: ['sip88xx.12-0-2MPP-1', 'sip88xx.12-5-1MPP-1'], waves: [{ percent: 50 }, { percent: 20 }] });
  expect(r.status).toBe(422);
  expect(r.body.errors).toEqual([
    { in: 'body', field: 'stages.1', message: 'stage sip88xx.12-5-1MPP-1 is not below the target sip88xx.12-0-3MPP-1' },
    { in: 'body', field: 'waves.1.percent', message: 'waves.1: waves are cumulative, so percentages cannot decrease' },
  ]);
  const missing = await api.put('/firmware/policies/CP-8851-3PCC', { target: 'sip88xx.12-0-3MPP-1', stages: ['sip88xx.12-0-2MPP-1'] });
  expect(missing.body.errors).toEqual([{ in: 'body', field: 'stages.0', message: 'no firmware file of version sip88xx.12-0-2MPP-1 for CP-8851-3PCC has been uploaded' }]);
});

it('a refused upload names its query parameter; a file\'s download log starts empty', async () => {
  const upload = (query: string) => api.call('POST', `/files?${query}`, { raw: 'content', headers: { 'content-type': 'application/octet-stream' } });
  expect((await upload('filename=image.bin&kind=firmware')).body.errors).toEqual([{ in: 'query', field: 'version', message: expect.stringContaining('firmware image.bin needs a version') }]);
  expect((await upload('filename=a.xml&kind=configuration&version=1')).body.errors).toEqual([{ in: 'query', field: 'version', message: 'only firmware has a version, not a configuration file' }]);
  const stored = await upload('filename=a.xml&kind=configuration');
  expect(stored.status).toBe(201);
  expect((await api.get(`/files/${stored.body.id}/transfers`)).body).toEqual({ items: [], nextCursor: null });
  expect((await api.get(`/files/${stored.body.id}/transfers?cursor=nonsense`)).status).toBe(400);
});
