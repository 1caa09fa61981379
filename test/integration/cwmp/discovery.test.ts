import type { ParameterInfoStruct, ParameterValueStruct } from '../../../src/cwmp/soap/types';
import { Fleet, type FleetDevice } from '../../../src/sim';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';

/**
 * Discovery of a whole data model (issue 17, item 5): a simulated phone with about 3,000
 * names answers a GetParameterNames of `Device.` and a GetParameterValues of every parameter,
 * queued through the API, over HTTP with Digest. The tree the API then serves must be the
 * phone's: every parameter, with the writable flag it listed and the value and type it
 * reported. No timing is asserted: bench/big-messages.ts --discovery measures it.
 */
let acs: TestAcs;
let api: ApiClient;
let tasks: TaskRepository;
let fleet: Fleet;
let phone: FleetDevice;

/** 25 extensions: 3,017 names, 2,623 of them parameters. */
const LINES = 25;

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp', 'api'] });
  api = apiClient(acs, await acs.token('operator'));
  tasks = new TaskRepository(acs.stores.db);
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, count: 1, retry: false, serialPrefix: 'DISC', lines: LINES });
  await fleet.start();
  [phone] = fleet.devices;
  expect(await phone.runSession()).toMatchObject({ ok: true });
}, 60_000);
afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

/** Queues the task through the API, runs one session of the phone, and returns the task's stored result. */
async function run(rpc: Record<string, unknown>) {
  const created = await api.post(`/devices/${enc(phone.deviceId)}/tasks`, { rpc });
  expect(created.status).toBe(201);
  expect(await phone.runSession()).toMatchObject({ ok: true });
  const task = await tasks.get(created.body.id);
  expect(task).toMatchObject({ status: 'done' });
  return task!.result as { parameterList: Array<ParameterInfoStruct | ParameterValueStruct> };
}

type ParameterView = { value?: unknown; type?: string; writable?: boolean };
async function served(): Promise<Record<string, ParameterView>> {
  const r = await api.get(`/devices/${enc(phone.deviceId)}`);
  expect(r.status).toBe(200);
  return r.body.parameters;
}

/** The API's tree against what the phone listed and reported, parameter by parameter. */
function expectTree(tree: Record<string, ParameterView>, names: ParameterInfoStruct[], values: ParameterValueStruct[]) {
  const parameters = names.filter((p) => !p.name.endsWith('.'));
  expect(Object.keys(tree).sort()).toEqual(parameters.map((p) => p.name).sort());
  const value = new Map(values.map((v) => [v.name, v]));
  const wrong = parameters.filter((p) => {
    const got = tree[p.name];
    const sent = value.get(p.name);
    // The API masks secrets; the phone reads them back as ''.
    const sameValue = got.value === sent?.value || (got.value === '***' && sent?.value !== '');
    return got.writable !== p.writable || !sameValue || got.type !== sent?.type;
  });
  expect(wrong.map((p) => ({ name: p.name, served: tree[p.name], listed: p.writable, reported: value.get(p.name) }))).toEqual([]);
}

it('stores the whole tree: every name with its writable flag, then every value with its type', async () => {
  const listing = (await run({ method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: false })).parameterList as ParameterInfoStruct[];
  expect(listing.length).toBeGreaterThan(3000);
  expect(listing.some((p) => p.name.endsWith('.') && p.writable)).toBe(true);
  expect(listing.some((p) => !p.name.endsWith('.') && p.writable)).toBe(true);
  expect(listing.some((p) => !p.name.endsWith('.') && !p.writable)).toBe(true);
  const named = await served();
  // Listed names carry their flag; only the Inform's parameters have values yet.
  expect(Object.keys(named)).toHaveLength(listing.filter((p) => !p.name.endsWith('.')).length);
  expect(Object.values(named).every((p) => typeof p.writable === 'boolean')).toBe(true);

  const values = (await run({ method: 'GetParameterValues', parameterNames: ['Device.'] })).parameterList as ParameterValueStruct[];
  expect(values.length).toBe(listing.filter((p) => !p.name.endsWith('.')).length);
  expect(new Set(values.map((v) => v.type)).size).toBeGreaterThan(2);
  expectTree(await served(), listing, values);
}, 120_000);

it('a later discovery keeps the values of what is still there and drops what the phone removed', async () => {
  const before = await served();
  const line = 'Device.Services.VoiceService.1.VoiceProfile.7.Line.1.';
  expect(Object.keys(before).some((n) => n.startsWith(line))).toBe(true);
  // Removed on the phone itself (its keypad), so the ACS learns it only from the new listing.
  phone.model.deleteInstance(line);
  const listing = (await run({ method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: false })).parameterList as ParameterInfoStruct[];
  expect(listing.some((p) => p.name.startsWith(line))).toBe(false);
  const after = await served();
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).filter((n) => !n.startsWith(line)).sort());
  for (const [name, p] of Object.entries(after)) expect({ name, ...p }).toEqual({ name, ...before[name] });
}, 120_000);
