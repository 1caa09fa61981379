import type { FirmwarePolicyDoc } from '../../../src/firmware/types';
import { FileStore } from '../../../src/files';
import { DeviceVariablesStore } from '../../../src/profiles/device-variables';
import { MappingOverrideStore } from '../../../src/provisioning';
import type { ProvisionState } from '../../../src/provisioning';
import { ciscoConfigHooks, Fleet, type FleetDevice, type SessionOutcome } from '../../../src/sim';
import { freePort } from '../../../tools/local-stores/process';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient } from '../../support/api';

/**
 * The end-to-end case, on one fleet of 500 simulated phones in this process: every
 * phone bootstraps into its desired state with no operator action; a profile change reaches
 * all of them at their next Inform; a firmware rollout upgrades 10 % first, and pauses when the
 * phones start failing their downloads. Sessions run 50 at a time. The bootstrap round (about
 * 4,500 HTTP exchanges and 18,000 MongoDB commands) takes 25-30 s on the 2-core machine.
 */
const PHONES = 500;
/** 10 % of the fleet */
const WAVE = PHONES / 10;
const PC = 'CP-8851-3PCC';
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';
const URI = 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.URI';
const NEW_LOAD = 'sip88xx.12-0-2MPP-1';

let acs: TestAcs;
let fleet: Fleet;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  const fsPort = await freePort();
  acs = await startTestAcs({ ACS_FS_PORT: String(fsPort), ACS_PUBLIC_FS_URL: `http://127.0.0.1:${fsPort}` }, { roles: ['cwmp', 'api', 'fs'] });
  api = apiClient(acs, await acs.token('admin'));
  const db = acs.stores.db;
  await new MappingOverrideStore(db).replace(PC, { Periodic_Inform_Interval: INTERVAL });
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: PHONES, concurrency: 50, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'ZTP', retry: false, hooks: ciscoConfigHooks() });
  await fleet.start();
  // The operator's spreadsheet, loaded before any phone was plugged in.
  const variables = new DeviceVariablesStore(db);
  for (const [i, d] of fleet.devices.entries()) await variables.replace(d.deviceId, { ext: String(5000 + i) });
  const created = await api.post('/profiles', {
    name: 'office',
    precedence: 10,
    match: { productClasses: [PC] },
    parameters: [
      { name: 'Periodic_Inform_Interval', value: '300' },
      { name: 'Station_Name', value: 'Desk ${ext}' },
      { name: 'User_ID_1_', value: '${ext}' },
      { name: 'Primary_NTP_Server', value: 'ntp.example.net' },
    ],
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await fleet?.stop(2000);
  await acs?.close();
});

/** One session per phone, concurrently; then the sessions reporting the transfers those started. */
async function round(): Promise<Map<FleetDevice, SessionOutcome>> {
  const outcomes = new Map<FleetDevice, SessionOutcome>();
  const reports: Array<Promise<unknown>> = [];
  let next = 0;
  const worker = async () => {
    while (next < fleet.devices.length) {
      const d = fleet.devices[next++];
      const reported = d.nextSession((o) => o.transferCompletes > 0, 60_000);
      const outcome = await d.runSession();
      outcomes.set(d, outcome);
      if (outcome.acsRequests.includes('Download')) reports.push(reported);
      else reported.catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  await Promise.all(reports);
  return outcomes;
}

function count(outcomes: Map<FleetDevice, SessionOutcome>, requests: string[]): number {
  return [...outcomes.values()].filter((o) => o.ok && JSON.stringify(o.acsRequests) === JSON.stringify(requests)).length;
}

async function provisions(): Promise<ProvisionState[]> {
  const docs = await acs.stores.db.collection<{ provision?: ProvisionState }>('devices').find({}, { projection: { provision: 1 } }).toArray();
  return docs.map((d) => d.provision ?? {});
}

it('500 phones bootstrap into their desired state, then a profile change reaches every one at its next Inform', async () => {
  const boot = await round();
  expect(count(boot, ['GetParameterValues', 'SetParameterValues', 'Download'])).toBe(PHONES);
  for (const [i, d] of fleet.devices.entries()) {
    expect(d.model.get(INTERVAL)).toBe(300);
    expect(d.model.get(URI)).toBe(String(5000 + i));
    expect(d.model.get('Device.Time.NTPServer1')).toBe('ntp.example.net');
    expect(d.cpe.vendorStore.get('Station_Name')).toBe(`Desk ${5000 + i}`);
  }
  const applied = await provisions();
  expect(applied.filter((p) => p.applied?.startsWith('r'))).toHaveLength(PHONES);

  const quiet = await round();
  expect(count(quiet, [])).toBe(PHONES);

  const office = await api.get('/profiles/office');
  const changed = await api.put('/profiles/office', {
    precedence: 10,
    match: office.body.match,
    parameters: office.body.parameters.map((p: { name: string; value: string }) => (p.name === 'Periodic_Inform_Interval' ? { ...p, value: '900' } : p)),
  });
  expect(changed.status).toBe(200);
  const change = await round();
  expect(count(change, ['SetParameterValues'])).toBe(PHONES);
  for (const d of fleet.devices) expect(d.model.get(INTERVAL)).toBe(900);
  const keys = (await provisions()).map((p) => p.applied);
  expect(new Set(fleet.devices.map((d) => String(d.model.get('Device.ManagementServer.ParameterKey'))))).toEqual(new Set(keys));
}, 300_000);

it('a firmware rollout upgrades 10 % first, then pauses when the phones fail their downloads', async () => {
  const files = new FileStore(acs.stores.db, acs.ctx.config.fs.maxFileBytes);
  await files.upload(
    (async function* () {
      yield Buffer.alloc(4096, 9);
    })(),
    { filename: `${NEW_LOAD}.loads`, kind: 'firmware', productClasses: [PC] },
  );
  const set = await api.put(`/firmware/policies/${PC}`, { target: NEW_LOAD, waves: [{ percent: 10 }, { percent: 20 }, { percent: 100 }], faultThreshold: 0.5, minResults: 5, soakSeconds: 3600 });
  expect(set.status).toBe(200);
  expect(set.body.rollout).toMatchObject({ status: 'running', population: PHONES, waves: [{ size: WAVE }, { size: WAVE }, { size: null }] });

  const first = await round();
  expect(count(first, ['Download'])).toBe(WAVE);
  const upgraded = () => fleet.devices.filter((d) => d.model.get('Device.DeviceInfo.SoftwareVersion') === NEW_LOAD).length;
  expect(upgraded()).toBe(WAVE);
  let policy = (await api.get(`/firmware/policies/${PC}`)).body as { rollout: { status: string; wave: number; waves: Array<{ admitted: number; done: number; fault: number; finishedAt?: string }> } };
  expect(policy.rollout.waves[0]).toMatchObject({ admitted: WAVE, done: WAVE, fault: 0, finishedAt: expect.any(String) });
  // The next wave waits for its soak time: a further round upgrades no one.
  expect(count(await round(), [])).toBe(PHONES);

  for (const d of fleet.devices) d.profile.failDownloads = true;
  expect((await api.post(`/firmware/policies/${PC}/advance`)).status).toBe(200);
  const second = await round();
  expect(count(second, ['Download'])).toBe(WAVE);
  policy = (await api.get(`/firmware/policies/${PC}`)).body;
  expect(policy.rollout).toMatchObject({ status: 'paused', wave: 1 });
  expect(policy.rollout.waves[1]).toMatchObject({ admitted: WAVE, done: 0, fault: WAVE });
  expect(policy.rollout.waves[2]).toMatchObject({ admitted: 0 });
  expect(upgraded()).toBe(WAVE);
  const faulted = (await provisions()).filter((p) => p.firmware?.status === 'fault');
  expect(faulted).toHaveLength(WAVE);

  // Paused: nobody starts an upgrade, and the phones that failed are not retried in a loop.
  expect(count(await round(), [])).toBe(PHONES);
  const doc = await acs.stores.db.collection<FirmwarePolicyDoc>('firmware_policies').findOne({ _id: PC });
  // Written when the rate first crossed the threshold, after at least minResults (5) results.
  expect(doc?.state.reason).toMatch(/^wave 2: (\d+) of \1 upgrades failed, above the threshold of 50 %$/);
}, 300_000);
