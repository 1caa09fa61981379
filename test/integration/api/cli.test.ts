import { Fleet } from '../../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { eventually } from '../../support/api';
import { fromFleet, seedDevices } from '../../support/seed';
import { runCli as acsCli } from '../../support/cli';

/** The operator CLI (`acs token|devices|tasks|jobs`) against a running API, worker and phones. */
const CR = { username: 'cr-user', password: 'cr-pass' };
let acs: TestAcs;
let fleet: Fleet;
let token: string;
const saved = { ...process.env };


beforeAll(async () => {
  acs = await startTestAcs({ ACS_CR_USERNAME: CR.username, ACS_CR_PASSWORD: CR.password, ACS_RECONCILE_INTERVAL: '1' }, { roles: ['cwmp', 'api', 'worker'] });
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 5, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'CLI', retry: false, connectionRequestUsername: CR.username, connectionRequestPassword: CR.password });
  await fleet.start();
  await seedDevices(acs.stores.db, fromFleet(fleet.devices, { tags: ['cli'] }));
  // the CLI reads its stores and API from the environment, as an operator's shell would set it
  Object.assign(process.env, { MONGODB_URL: acs.stores.mongodbUrl, REDIS_URL: acs.stores.redisUrl, ACS_API_URL: acs.apiUrl });
});
afterAll(async () => {
  process.env = saved;
  await fleet?.stop(1000);
  await acs?.close();
});

it('acs token create prints a token once; list shows no secret; revoke stops it', async () => {
  const created = await acsCli('token', 'create', '--name', 'ops', '--role', 'operator');
  expect(created.code).toBe(0);
  token = created.stdout.trim();
  expect(token).toMatch(/^acs_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  expect(created.stderr).toMatch(/shown only now/);
  const listed = await acsCli('token', 'list');
  expect(listed.stdout).toMatch(/ops.*operator/);
  expect(listed.stdout).not.toContain(token.slice(21));
  const other = JSON.parse((await acsCli('token', 'create', '--name', 'temp', '--role', 'viewer', '--json')).stdout);
  expect((await acsCli('token', 'revoke', other.id)).code).toBe(0);
  expect((await acsCli('devices', 'list', '--token', other.token)).stderr).toMatch(/revoked.*HTTP 401/);
  expect((await acsCli('token', 'create', '--name', 'x', '--role', 'root')).stderr).toContain('--role must be one of viewer, operator, admin');
});

it('acs devices list and get, as tables or JSON', async () => {
  process.env.ACS_API_TOKEN = token;
  const listed = await acsCli('devices', 'list', '--tag', 'cli', '--fields', 'Device.DeviceInfo.ModelName');
  expect(listed.code).toBe(0);
  for (const d of fleet.devices) expect(listed.stdout).toContain(d.deviceId);
  expect(listed.stdout).toMatch(/ID.*PRODUCT CLASS.*Device\.DeviceInfo\.ModelName/);
  const paged = JSON.parse((await acsCli('devices', 'list', '--tag', 'cli', '--limit', '2', '--all', '--json')).stdout);
  expect(paged.items.map((d: { id: string }) => d.id).sort()).toEqual(fleet.devices.map((d) => d.deviceId).sort());
  const one = JSON.parse((await acsCli('devices', 'get', fleet.device(0).deviceId, '--json')).stdout);
  expect(one).toMatchObject({ id: fleet.device(0).deviceId, tags: ['cli'] });
  const bad = await acsCli('devices', 'list', '--limit', '5000');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/query parameter "limit" must be <= 1000 \(HTTP 400\)/);
});

it('acs tasks add wakes the phone; acs tasks get shows the values', async () => {
  const d = fleet.device(1);
  const added = await acsCli('tasks', 'add', d.deviceId, 'get', 'Device.DeviceInfo.SerialNumber', '--connection-request', '--json');
  expect(added.code).toBe(0);
  const id = JSON.parse(added.stdout).id as string;
  const done = await eventually(async () => JSON.parse((await acsCli('tasks', 'get', id, '--json')).stdout), (t) => t.status === 'done');
  expect(done.result.parameterList).toEqual([{ name: 'Device.DeviceInfo.SerialNumber', value: d.serialNumber, type: 'xsd:string' }]);
  expect((await acsCli('tasks', 'get', id)).stdout).toContain(d.serialNumber);
  const set = await acsCli('tasks', 'add', d.deviceId, 'set', 'Device.ManagementServer.PeriodicInformInterval:unsignedInt=ten');
  expect(set.code).toBe(2);
  expect(set.stderr).toContain('rpc.parameterList.0.value');
  expect((await acsCli('tasks', 'add', d.deviceId, 'teleport')).stderr).toContain('unknown RPC "teleport"');
});

it('acs jobs create --watch shows progress and ends with every device done; list and cancel', async () => {
  const run = await acsCli('jobs', 'create', 'get', 'Device.DeviceInfo.SoftwareVersion', '--tag', 'cli', '--rate', '50', '--connection-request', '--name', 'sw', '--watch', '--json');
  expect(run.code).toBe(0);
  const job = JSON.parse(run.stdout);
  expect(job).toMatchObject({ name: 'sw', status: 'done', devices: 5, tasks: { done: 5 } });
  expect(run.stderr).toMatch(/job [0-9a-f]{24} \[.*\] 5\/5 tasks \| done/);
  expect((await acsCli('jobs', 'list')).stdout).toMatch(new RegExp(`${job.id}.*sw.*GetParameterValues.*done`));
  const cancel = await acsCli('jobs', 'cancel', job.id);
  expect(cancel.code).toBe(2);
  expect(cancel.stderr).toContain('cannot be cancelled (HTTP 409)');
  expect((await acsCli('jobs', 'create', 'reboot')).stderr).toContain('exactly one of --tag');
  const paused = await acsCli('jobs', 'create', 'reboot', '--device', fleet.device(2).deviceId, '--paused');
  const pausedId = /job ([0-9a-f]{24}) created/.exec(paused.stdout)![1];
  expect((await acsCli('jobs', 'cancel', pausedId)).stdout).toContain('cancelling');
});

it('says what is wrong when the API cannot be used', async () => {
  delete process.env.ACS_API_TOKEN;
  expect((await acsCli('devices', 'list')).stderr).toContain('an API token is required');
  const unreachable = await acsCli('devices', 'list', '--token', token, '--api-url', 'http://127.0.0.1:1');
  expect(unreachable.code).toBe(2);
  expect(unreachable.stderr).toContain('cannot reach the API at http://127.0.0.1:1');
});
