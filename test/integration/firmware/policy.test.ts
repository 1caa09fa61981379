import { FileStore } from '../../../src/files';
import type { ProvisionState } from '../../../src/provisioning';
import { Fleet, type FleetDevice } from '../../../src/sim';
import { freePort } from '../../../tools/local-stores/process';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, type ApiClient } from '../../support/api';
import { runCli as acsCli } from '../../support/cli';

/**
 * Firmware policies through the API, with simulated phones: a multistage path, maintenance
 * windows, operator actions on the rollout, and what is refused.
 */
const PC = 'CP-8851-3PCC';
const START = 'sip88xx.12-0-1MPP-2';
const STAGE = 'sip88xx.12-0-2MPP-1';
const TARGET = 'sip88xx.12-0-3MPP-1';
const VERSION = 'Device.DeviceInfo.SoftwareVersion';

let acs: TestAcs;
let api: ApiClient;
let fleet: Fleet;
const saved = { ...process.env };

beforeAll(async () => {
  const fsPort = await freePort();
  acs = await startTestAcs({ ACS_FS_PORT: String(fsPort), ACS_PUBLIC_FS_URL: `http://127.0.0.1:${fsPort}` }, { roles: ['cwmp', 'api', 'fs'] });
  api = apiClient(acs, await acs.token('admin'));
  const files = new FileStore(acs.stores.db, acs.ctx.config.fs.maxFileBytes);
  for (const version of [STAGE, TARGET]) {
    await files.upload(
      (async function* () {
        yield Buffer.alloc(2048, 1);
      })(),
      { filename: `${version}.loads`, kind: 'firmware', productClasses: [PC] },
    );
  }
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 3, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'FWP', retry: false });
  await fleet.start();
  for (const d of fleet.devices) expect((await d.runSession()).ok).toBe(true);
  Object.assign(process.env, { ACS_API_URL: acs.apiUrl, ACS_API_TOKEN: await acs.token('admin', 'cli') });
});
afterAll(async () => {
  process.env = saved;
  await fleet?.stop(1000);
  await acs?.close();
});


async function firmwareState(d: FleetDevice) {
  return ((await acs.stores.db.collection<{ provision?: ProvisionState }>('devices').findOne({ _id: d.deviceId as never })) as { provision?: ProvisionState } | null)?.provision?.firmware;
}

/** A session, then while one starts a transfer, the session that reports it: the requests of each. */
async function session(d: FleetDevice): Promise<string[][]> {
  const all: string[][] = [];
  let reported = d.nextSession((o) => o.transferCompletes > 0, 20_000);
  let outcome = await d.runSession();
  for (let i = 0; i < 4; i++) {
    all.push(outcome.acsRequests);
    if (!outcome.acsRequests.includes('Download')) break;
    outcome = await reported;
    // The next transfer starts after this session ended, so the waiter is in place before it reports.
    reported = d.nextSession((o) => o.transferCompletes > 0, 20_000);
  }
  reported.catch(() => undefined);
  return all;
}

it('refuses policies it cannot carry out, naming why, and stores nothing', async () => {
  const missing = await api.put(`/firmware/policies/${PC}`, { target: 'sip88xx.12-5-1MPP-1' });
  expect(missing.status).toBe(422);
  expect(missing.body.detail).toMatch(/no firmware file of version sip88xx.12-5-1MPP-1 for CP-8851-3PCC has been uploaded/);
  expect((await api.put(`/firmware/policies/${PC}`, { target: STAGE, stages: [TARGET] })).body.detail).toMatch(/stage sip88xx.12-0-3MPP-1 is not below the target/);
  expect((await api.put(`/firmware/policies/${PC}`, { target: STAGE, floor: TARGET })).body.detail).toMatch(/is below the downgrade floor/);
  expect((await api.put(`/firmware/policies/${PC}`, { target: TARGET, waves: [{ percent: 50 }, { percent: 20 }] })).body.detail).toMatch(/waves are cumulative/);
  expect((await api.put(`/firmware/policies/${PC}`, { target: TARGET, windows: [{ start: '9am', end: '10:00' }] })).status).toBe(400);
  expect((await api.get(`/firmware/policies/${PC}`)).status).toBe(404);
  expect((await apiClient(acs, await acs.token('operator')).put(`/firmware/policies/${PC}`, { target: TARGET })).status).toBe(403);
});

it('outside its maintenance window a device is not upgraded', async () => {
  const now = new Date();
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  const closed = { start: hhmm(new Date(now.getTime() + 2 * 3600_000)), end: hhmm(new Date(now.getTime() + 3 * 3600_000)) };
  expect((await api.put(`/firmware/policies/${PC}`, { target: TARGET, windows: [closed] })).status).toBe(200);
  expect(await session(fleet.device(0))).toEqual([[]]);
  expect(fleet.device(0).model.get(VERSION)).toBe(START);
});

it('a device passes through the stage on its way to the target, and counts in its wave once', async () => {
  const set = await api.put(`/firmware/policies/${PC}`, { target: TARGET, stages: [STAGE] });
  expect(set.body.rollout).toMatchObject({ population: 3, wave: 0, waves: [{ percent: 100, size: null, admitted: 0 }] });
  const d = fleet.device(0);
  // Back from the stage, the phone reports it and gets the target in the same session.
  expect(await session(d)).toEqual([['Download'], ['Download'], []]);
  expect(d.model.get(VERSION)).toBe(TARGET);
  expect(await firmwareState(d)).toMatchObject({ hop: TARGET, status: 'done' });
  const policy = (await api.get(`/firmware/policies/${PC}`)).body;
  expect(policy.rollout.waves[0]).toMatchObject({ admitted: 1, done: 1, fault: 0 });
  const history = (await api.get(`/devices/${encodeURIComponent(d.deviceId)}/history`)).body.items;
  expect(history.map((h: { changes: Array<{ old: string; new: string }> }) => h.changes[0])).toEqual([
    { name: 'SoftwareVersion', old: STAGE, new: TARGET },
    { name: 'SoftwareVersion', old: START, new: STAGE },
  ]);
});

it('acs firmware shows the rollout and refuses malformed waves and windows before calling the API', async () => {
  const shown = await acsCli('firmware', 'get', PC);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(new RegExp(`${PC}: target ${TARGET} via ${STAGE}; rollout running, wave 1 of 1, population 3`));
  expect(shown.stdout).toMatch(/│ 1 .*│ 100 % .*│ all .*│ 1 .*│ 1 .*│ 0 /);
  expect(await acsCli('firmware', 'set', PC, '--target', TARGET, '--wave', 'ten')).toMatchObject({ code: 2, stderr: expect.stringContaining('--wave takes a percentage (10%) or a device count (50), got "ten"') });
  expect(await acsCli('firmware', 'set', PC, '--target', TARGET, '--window', 'noon')).toMatchObject({ code: 2, stderr: expect.stringContaining('--window takes [days@]HH:MM-HH:MM') });
  expect((await acsCli('firmware', 'list')).stdout).toMatch(new RegExp(`${PC} .*${TARGET}.*running.*1/1`));
});

it('pause, resume and abort act on the rollout', async () => {
  expect((await api.post(`/firmware/policies/${PC}/pause`)).body.rollout).toMatchObject({ status: 'paused', reason: 'paused by an operator' });
  expect(await session(fleet.device(1))).toEqual([[]]);
  expect((await api.post(`/firmware/policies/${PC}/pause`)).status).toBe(409);
  expect((await api.post(`/firmware/policies/${PC}/resume`, {})).body.rollout.status).toBe('running');
  expect(await session(fleet.device(1))).toEqual([['Download'], ['Download'], []]);
  expect((await api.post(`/firmware/policies/${PC}/abort`)).body.rollout.status).toBe('aborted');
  expect(await session(fleet.device(2))).toEqual([[]]);
  expect((await api.post(`/firmware/policies/${PC}/resume`, {})).status).toBe(409);
  expect((await api.post(`/firmware/policies/${PC}/advance`)).status).toBe(409);
  expect((await api.delete(`/firmware/policies/${PC}`)).status).toBe(204);
});
