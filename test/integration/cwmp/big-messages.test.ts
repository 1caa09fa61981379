import { deviceKey } from '../../../src/devices/id';
import { DeviceRepository } from '../../../src/devices/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { inform, ManualCpe } from '../../support/cwmp-client';

/**
 * Messages at the size limit are answered and stored (issue 10, item 7). No timing is
 * asserted: the bench (bench/big-messages.ts) measures how long they take.
 */
let acs: TestAcs;
let devices: DeviceRepository;
const creds = { username: CPE_USERNAME, password: CPE_PASSWORD };

beforeAll(async () => {
  // 20,000 parameters as this client encodes them take about 2 MB.
  acs = await startTestAcs({ ACS_CWMP_MAX_BODY: String(4 * 1024 * 1024) });
  devices = new DeviceRepository(acs.stores.db);
});
afterAll(async () => acs?.close());

function params(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) => ({ name: `Device.X.${Math.floor(i / 100)}.P${i % 100}`, value: `${tag}${i}`, type: 'xsd:string' as const }));
}

/** The stored leaves the test reads, not the whole 3 MB tree. */
const probe = { 'params.Device.X.0': 1, 'params.Device.X.123': 1, 'params.Device.X.199': 1 } as const;
const leaf = (tree: Record<string, any>, i: number) => tree.Device?.X?.[String(Math.floor(i / 100))]?.[`P${i % 100}`];

it('an Inform with 20,000 parameters gets its InformResponse, and every parameter is stored', async () => {
  const cpe = new ManualCpe(acs.cwmpUrl, creds);
  const r = await cpe.exchange(inform('BIG20K', ['1 BOOT'], params(20_000, 'a')));
  expect(r.envelope.body.method).toBe('InformResponse');
  expect((await cpe.post('')).status).toBe(204);
  const id = deviceKey({ oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'BIG20K' });
  const stored = await devices.getWithParams(id, probe);
  expect(leaf(stored!.params, 0)).toMatchObject({ _v: 'a0', _t: 'xsd:string' });
  expect(leaf(stored!.params, 19_999)).toMatchObject({ _v: 'a19999' });
  // The device document every session reads holds a digest, not a copy of the values.
  const doc = await acs.stores.db.collection('devices').findOne({ _id: id as never });
  expect(JSON.stringify(doc).length).toBeLessThan(4000);

  // A later Inform changing every value rewrites the stored tree, keeping what else was known.
  await acs.stores.db.collection('device_params').updateOne({ _id: id as never }, { $set: { 'params.Device.X.0.P0._w': true } });
  const again = new ManualCpe(acs.cwmpUrl, creds);
  expect((await again.exchange(inform('BIG20K', ['2 PERIODIC'], params(20_000, 'b')))).envelope.body.method).toBe('InformResponse');
  const after = await devices.getWithParams(id, probe);
  expect(leaf(after!.params, 0)).toMatchObject({ _v: 'b0', _w: true });
  expect(leaf(after!.params, 12_345)).toMatchObject({ _v: 'b12345' });
  // A functional test, not a timing one: the bound only keeps a wedged store from hanging CI.
}, 300_000);
