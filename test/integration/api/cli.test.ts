import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
  expect(bad.code).toBe(3);
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
  expect(set.code).toBe(3);
  expect(set.stderr).toContain('rpc.parameterList.0.value');
  expect((await acsCli('tasks', 'add', d.deviceId, 'teleport')).stderr).toContain('unknown RPC "teleport"');
});

it('acs tasks add-many queues one task per listed device and names the unknown ones (exit 5)', async () => {
  process.env.ACS_API_TOKEN = token;
  const [a, b] = [fleet.device(3).deviceId, fleet.device(4).deviceId];
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'acs-cli-')), 'devices.txt');
  writeFileSync(file, `${a}\n\n${b}\n00562B-CP%2D8851%2D3PCC-NOSUCH\n`);
  const run = await acsCli('tasks', 'add-many', 'get', 'Device.DeviceInfo.UpTime', '--devices-file', file, '--json');
  expect(run.code).toBe(5);
  expect(run.stderr).toContain('1 device(s) do not exist, no task queued for them: 00562B-CP%2D8851%2D3PCC-NOSUCH');
  const result = JSON.parse(run.stdout);
  expect(result.items.map((i: { deviceId: string }) => i.deviceId)).toEqual([a, b]);
  const task = JSON.parse((await acsCli('tasks', 'get', result.items[1].taskId, '--json')).stdout);
  expect(task).toMatchObject({ deviceId: b, rpc: { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] } });
  expect((await acsCli('tasks', 'add-many', 'reboot', '--devices', a)).stdout).toContain('1 task(s) queued (reboot)');
  expect((await acsCli('tasks', 'add-many', 'reboot')).stderr).toContain('give exactly one of --devices and --devices-file');
});

it('acs jobs create --watch shows progress and ends with every device done; list and cancel', async () => {
  const run = await acsCli('jobs', 'create', 'get', 'Device.DeviceInfo.SoftwareVersion', '--tag', 'cli', '--rate', '50', '--connection-request', '--name', 'sw', '--watch', '--json');
  expect(run.code).toBe(0);
  const job = JSON.parse(run.stdout);
  expect(job).toMatchObject({ name: 'sw', status: 'done', devices: 5, tasks: { done: 5 } });
  expect(run.stderr).toMatch(/job [0-9a-f]{24} \[.*\] 5\/5 tasks \| done/);
  expect((await acsCli('jobs', 'list')).stdout).toMatch(new RegExp(`${job.id}.*sw.*GetParameterValues.*done`));
  const cancel = await acsCli('jobs', 'cancel', job.id);
  expect(cancel.code).toBe(3);
  expect(cancel.stderr).toContain('cannot be cancelled (HTTP 409)');
  expect((await acsCli('jobs', 'create', 'reboot')).stderr).toContain('exactly one of --tag');
  const paused = await acsCli('jobs', 'create', 'reboot', '--device', fleet.device(2).deviceId, '--paused');
  const pausedId = /job ([0-9a-f]{24}) created/.exec(paused.stdout)![1];
  expect((await acsCli('jobs', 'cancel', pausedId)).stdout).toContain('cancelling');
});

it('acs devices get prints a readable summary; a malformed id is named with the form expected', async () => {
  process.env.ACS_API_TOKEN = token;
  const d = fleet.device(0);
  const got = await acsCli('devices', 'get', d.deviceId);
  expect(got.code).toBe(0);
  expect(got.stdout).toMatch(new RegExp(`^serial number +${d.serialNumber}$`, 'm'));
  expect(got.stdout).toMatch(/^product +Cisco.* CP-8851-3PCC$/m);
  expect(got.stdout).toMatch(/^tags +cli$/m);
  expect(got.stdout).toMatch(/^connection requests +http:\/\/127\.0\.0\.1:\d+\/\S+ as the default credential/m);
  expect(got.stdout).not.toMatch(/\[object Object\]|[{}]/);
  const bad = await acsCli('devices', 'get', `00562B-CP-8851-3PCC-${d.serialNumber}`);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain(`"00562B-CP-8851-3PCC-${d.serialNumber}" is not a device id: expected OUI-ProductClass-SerialNumber`);
  expect(bad.stderr).toContain(`did you mean ${d.deviceId}?`);
  expect((await acsCli('tasks', 'get', 'nope')).stderr).toContain('task id "nope" must be 24 hex digits');
});

it('acs devices tag/untag: one line per device, exit 5 when some were refused', async () => {
  const [a, b] = [fleet.device(0).deviceId, fleet.device(1).deviceId];
  const tagged = await acsCli('devices', 'tag', 'floor-9', a, b, '000000-NO-SUCH');
  expect(tagged.code).toBe(5);
  expect(tagged.stdout).toBe(`${a}: tagged floor-9\n${b}: tagged floor-9\n`);
  expect(tagged.stderr).toMatch(/000000-NO-SUCH: .*(HTTP 404)/);
  expect(tagged.stderr).toContain('1 of 3 failed');
  const listed = JSON.parse((await acsCli('devices', 'list', '--tag', 'floor-9', '--json')).stdout);
  expect(listed.items.map((x: { id: string }) => x.id).sort()).toEqual([a, b].sort());
  expect((await acsCli('devices', 'untag', 'floor-9', a)).code).toBe(0);
  expect((await acsCli('devices', 'untag', 'floor-9', '000000-NO-SUCH')).code).toBe(3);
  expect((await acsCli('devices', 'tag', 'two words', a)).stderr).toContain('tag "two words" must be 1-64 letters');
});

it('acs devices cr-auth sets the credential connection requests use', async () => {
  const d = fleet.device(3);
  const wake = async () => {
    const added = JSON.parse((await acsCli('tasks', 'add', d.deviceId, 'get', 'Device.DeviceInfo.ModelName', '--connection-request', '--json')).stdout);
    return eventually(async () => JSON.parse((await acsCli('tasks', 'get', added.id, '--json')).stdout), (t) => t.connectionRequest?.status !== 'queued');
  };
  const admin = (await acsCli('token', 'create', '--name', 'cr-admin', '--role', 'admin')).stdout.trim();
  expect((await acsCli('devices', 'cr-auth', d.deviceId, '--username', 'cr-user', '--password', 'wrong', '--token', admin)).code).toBe(0);
  expect((await wake()).connectionRequest.status).toBe('auth_refused');
  expect((await acsCli('devices', 'cr-auth', d.deviceId, '--username', CR.username, '--password', CR.password, '--token', admin)).stdout).toContain(`connection requests now use ${CR.username}`);
  expect((await wake()).connectionRequest.status).toBe('woke');
  expect((await acsCli('devices', 'get', d.deviceId)).stdout).toMatch(new RegExp(`^connection requests .* as ${CR.username}$`, 'm'));
  expect((await acsCli('devices', 'cr-auth', d.deviceId, '--clear', '--token', admin)).code).toBe(0);
  expect((await acsCli('devices', 'cr-auth', d.deviceId, '--token', admin)).stderr).toContain('--username is required');
  // operators may not set credentials: the API's refusal, exit 3
  expect((await acsCli('devices', 'cr-auth', d.deviceId, '--username', 'u', '--password', 'p')).code).toBe(3);
});

it('acs faults list, retry and clear', async () => {
  const d = fleet.device(4);
  const added = JSON.parse((await acsCli('tasks', 'add', d.deviceId, 'set', 'Device.DeviceInfo.NoSuchThing:string=x', '--connection-request', '--json')).stdout);
  await eventually(async () => JSON.parse((await acsCli('tasks', 'get', added.id, '--json')).stdout), (t) => t.status === 'fault');
  const listed = await acsCli('faults', 'list', '--device', d.deviceId);
  expect(listed.stdout).toMatch(new RegExp(`${added.id}.*SetParameterValues.*900\\d`));
  const retried = await acsCli('faults', 'retry', added.id, '--connection-request');
  expect(retried.stdout).toBe(`${added.id}: queued again\n`);
  await eventually(async () => JSON.parse((await acsCli('tasks', 'get', added.id, '--json')).stdout), (t) => t.status === 'fault');
  expect((await acsCli('faults', 'clear', added.id)).stdout).toBe(`${added.id}: cleared\n`);
  expect(JSON.parse((await acsCli('faults', 'list', '--device', d.deviceId, '--json')).stdout).items).toEqual([]);
  const again = await acsCli('faults', 'clear', added.id);
  expect(again.code).toBe(3);
  expect(again.stderr).toContain('(HTTP 404)');
  expect((await acsCli('faults', 'list', '--limit', 'many')).stderr).toContain('--limit must be an integer from 1 to 1000, got "many"');
});

it('acs files upload streams a file; acs audit shows who did it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acs-cli-'));
  const file = path.join(dir, 'sip88xx.12-0-2MPP-1.loads');
  const content = randomBytes(100_000);
  writeFileSync(file, content);
  const up = await acsCli('files', 'upload', file, '--kind', 'firmware', '--software-version', 'sip88xx.12-0-2MPP-1', '--product-class', 'CP-8851-3PCC', '--json');
  expect(up.code).toBe(0);
  const info = JSON.parse(up.stdout);
  expect(info).toMatchObject({ filename: 'sip88xx.12-0-2MPP-1.loads', kind: 'firmware', size: 100_000, sha256: createHash('sha256').update(content).digest('hex') });
  expect((await acsCli('files', 'list')).stdout).toMatch(new RegExp(`${info.id}.*sip88xx\\.12-0-2MPP-1\\.loads.*firmware`));
  expect((await acsCli('files', 'upload', file, '--kind', 'rom')).stderr).toContain('--kind must be one of firmware, configuration, ca, got "rom"');
  expect((await acsCli('files', 'upload', path.join(dir, 'missing'), '--kind', 'ca')).stderr).toContain('cannot read');
  const wrongSum = await acsCli('files', 'upload', file, '--kind', 'firmware', '--sha256', '0'.repeat(64));
  expect(wrongSum.code).toBe(3);
  const admin = (await acsCli('token', 'create', '--name', 'auditor', '--role', 'admin')).stdout.trim();
  const audit = await acsCli('audit', '--action', 'file.upload', '--token', admin);
  expect(audit.code).toBe(0);
  expect(audit.stdout).toMatch(new RegExp(`ops \\(operator\\).*file\\.upload.*${info.id}.*201`));
  expect((await acsCli('audit')).code).toBe(3);
  expect((await acsCli('audit', '--actor', 'me', '--token', admin)).stderr).toContain('--actor must be a token id');
});

it('says what is wrong when the API cannot be used', async () => {
  delete process.env.ACS_API_TOKEN;
  expect((await acsCli('devices', 'list')).stderr).toContain('an API token is required');
  const unreachable = await acsCli('devices', 'list', '--token', token, '--api-url', 'http://127.0.0.1:1');
  expect(unreachable.code).toBe(4);
  expect(unreachable.stderr).toContain('cannot reach the API at http://127.0.0.1:1');
});
