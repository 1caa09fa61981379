import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MappingOverrideStore } from '../../../src/provisioning';
import { ciscoConfigHooks, Fleet, type FleetDevice } from '../../../src/sim';
import { freePort } from '../../../tools/local-stores/process';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';
import { runCli as acsCli } from '../../support/cli';

/**
 * Profiles through the operator API and the CLI: what is refused (and then not stored), what
 * is reported (conflicts), revisions, import of a Cisco XML file, and a device's effective
 * state, drift, history and variables.
 */
const PC = 'CP-8851-3PCC';
let acs: TestAcs;
let api: ApiClient;
let viewer: ApiClient;
let fleet: Fleet;
let phone: FleetDevice;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  const fsPort = await freePort();
  acs = await startTestAcs({ ACS_FS_PORT: String(fsPort), ACS_PUBLIC_FS_URL: `http://127.0.0.1:${fsPort}` }, { roles: ['cwmp', 'api', 'fs'] });
  api = apiClient(acs, await acs.token('operator'));
  viewer = apiClient(acs, await acs.token('viewer'));
  await new MappingOverrideStore(acs.stores.db).replace(PC, { Periodic_Inform_Interval: 'Device.ManagementServer.PeriodicInformInterval' });
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'PAPI', retry: false, hooks: ciscoConfigHooks() });
  await fleet.start();
  phone = fleet.device(0);
  dir = mkdtempSync(path.join(os.tmpdir(), 'acs-profiles-'));
  Object.assign(process.env, { ACS_API_URL: acs.apiUrl, ACS_API_TOKEN: await acs.token('operator', 'cli') });
});
afterAll(async () => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
  await fleet?.stop(1000);
  await acs?.close();
});

async function session(): Promise<string[]> {
  const reported = phone.nextSession((o) => o.transferCompletes > 0, 20_000);
  const outcome = await phone.runSession();
  expect(outcome.ok).toBe(true);
  if (outcome.acsRequests.includes('Download')) await reported;
  else reported.catch(() => undefined);
  return outcome.acsRequests;
}


describe('bad input is refused and nothing is stored', () => {
  it('an unknown parameter, a wrong type, a bad selector: 422 naming each', async () => {
    const res = await api.post('/profiles', {
      name: 'broken',
      precedence: 1,
      match: { macs: ['nope'] },
      parameters: [{ name: 'Not_A_Thing', value: '1' }, { name: 'SIP_Port_1_', value: '99999' }, { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'sometimes' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['match', 'Device.ManagementServer.PeriodicInformEnable', 'Not_A_Thing', 'SIP_Port_1_']);
    expect(res.body.detail).toMatch(/match.macs: "nope" is not valid \(and 3 more\)/);
    expect((await api.get('/profiles/broken')).status).toBe(404);
    expect((await api.get('/profiles')).body.items).toEqual([]);
  });

  it('unknown fields and a malformed name are refused by the schema', async () => {
    expect((await api.post('/profiles', { name: 'x', precedence: 1, match: {}, parameters: [], extra: 1 })).status).toBe(400);
    expect((await api.post('/profiles', { name: '../x', precedence: 1, match: {}, parameters: [] })).status).toBe(400);
    expect((await api.post('/profiles', { name: 'x', precedence: 1, match: { planet: ['mars'] }, parameters: [] })).body.detail).toMatch(/match.planet.*unknown field/);
  });

  it('viewers may read but not write', async () => {
    expect((await viewer.post('/profiles', { name: 'v', precedence: 1, match: {}, parameters: [] })).status).toBe(403);
  });
});

describe('profiles', () => {
  it('are created, replaced with a new revision, read with secrets hidden, and deleted with their revisions kept', async () => {
    const created = await api.post('/profiles', {
      name: 'office',
      description: 'every desk phone',
      precedence: 10,
      match: { productClasses: [PC] },
      parameters: [
        { name: 'Device.ManagementServer.PeriodicInformInterval', value: '600' },
        { name: 'Station_Name', value: 'Desk ${ext}' },
        { name: 'Password_1_', value: 'literal-secret' },
        { name: 'Password_2_', value: '${sip_password}' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.profile.parameters).toEqual([
      { name: 'Station_Name', value: 'Desk ${ext}' },
      { name: 'Password_1_', secret: true },
      { name: 'Password_2_', value: '${sip_password}' },
      { name: 'Periodic_Inform_Interval', value: '600' },
    ]);
    expect((await api.post('/profiles', { name: 'office', precedence: 1, match: {}, parameters: [] })).status).toBe(409);
    const body = { precedence: 10, match: { productClasses: [PC] }, parameters: [{ name: 'Periodic_Inform_Interval', value: '900' }, { name: 'Station_Name', value: 'Desk ${ext}' }, { name: 'Password_2_', value: '${sip_password}' }] };
    expect((await api.put('/profiles/office', { ...body, ifRevision: 7 })).status).toBe(409);
    const replaced = await api.put('/profiles/office', { ...body, ifRevision: 1 });
    expect(replaced.body.profile.revision).toBe(2);
    const revisions = await api.get('/profiles/office/revisions');
    expect(revisions.body.items.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect((await api.get('/profiles/office/revisions/1')).body.parameters).toHaveLength(4);
    expect(JSON.stringify((await api.get('/profiles/office/revisions/1')).body)).not.toContain('literal-secret');
  });

  it('a conflict at the same precedence is reported at save and listed; the save goes through', async () => {
    const res = await api.post('/profiles', { name: 'lobby', precedence: 10, match: { tags: ['lobby'] }, parameters: [{ name: 'Station_Name', value: 'Lobby' }] });
    expect(res.status).toBe(201);
    expect(res.body.conflicts).toEqual([{ parameter: 'Station_Name', precedence: 10, profiles: ['lobby', 'office'] }]);
    // no device carries the tag yet: the conflict touches none
    expect((await viewer.get('/profiles/conflicts')).body.items).toEqual(res.body.conflicts.map((c: object) => ({ ...c, devices: { count: 0, complete: true, items: [] } })));
  });

  it('acs profiles import reads a Cisco XML file; list and get show it', async () => {
    const file = path.join(dir, 'ntp.xml');
    writeFileSync(file, '<flat-profile>\n  <Primary_NTP_Server ua="na">ntp.example.org</Primary_NTP_Server>\n  <Speed_Dial_2_Name ua="rw"/>\n</flat-profile>\n');
    const imported = await acsCli('profiles', 'import', file, '--precedence', '5', '--product-class', PC);
    expect(imported).toMatchObject({ code: 0, stdout: 'ntp: revision 1, 2 parameters\n' });
    expect((await acsCli('profiles', 'list')).stdout).toMatch(/ntp .*1 .*5 /);
    expect((await acsCli('profiles', 'get', 'ntp')).stdout).toMatch(/Speed_Dial_2_Name.*\(keep\).*rw/);
    const bad = path.join(dir, 'bad.xml');
    writeFileSync(bad, '<flat-profile><Unheard_Of>1</Unheard_Of></flat-profile>');
    const refused = await acsCli('profiles', 'import', bad);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/Unheard_Of: unknown parameter.*HTTP 422/);
    expect((await acsCli('profiles', 'conflicts')).stdout).toMatch(/Station_Name.*10.*lobby, office/);
  });
});

describe("a device's provisioning", () => {
  it('variables may precede the device; secret ones are never shown', async () => {
    const res = await api.put(`/devices/${enc(phone.deviceId)}/variables`, { variables: { ext: '7001' }, secrets: { sip_password: 'pw-7001' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ variables: { ext: '7001' }, secrets: ['sip_password'] });
    expect(JSON.stringify((await api.get(`/devices/${enc(phone.deviceId)}/variables`)).body)).not.toContain('pw-7001');
    expect((await api.put(`/devices/${enc(phone.deviceId)}/variables`, { variables: { 'bad-name': 'x' } })).status).toBe(400);
  });

  it('shows the effective desired state, where each value came from and how it travels; then drift and history', async () => {
    expect(await session()).toEqual(['GetParameterValues', 'SetParameterValues', 'Download']);
    const view = (await viewer.get(`/devices/${enc(phone.deviceId)}/provisioning`)).body;
    expect(view).toMatchObject({ managed: true, upToDate: true, profiles: [{ name: 'office', revision: 2, precedence: 10 }, { name: 'ntp', revision: 1, precedence: 5 }] });
    const byName = Object.fromEntries(view.parameters.map((p: { name: string }) => [p.name, p]));
    expect(byName.Periodic_Inform_Interval).toEqual({ name: 'Periodic_Inform_Interval', value: '900', source: { kind: 'profile', profile: 'office', revision: 2, precedence: 10 }, delivery: 'parameter', path: 'Device.ManagementServer.PeriodicInformInterval' });
    expect(byName.Station_Name).toMatchObject({ value: 'Desk 7001', delivery: 'file' });
    expect(byName.Primary_NTP_Server).toMatchObject({ value: 'ntp.example.org', ua: 'na', source: { profile: 'ntp' } });

    const drift = (await viewer.get(`/devices/${enc(phone.deviceId)}/drift`)).body;
    expect(drift.items.find((i: { name: string }) => i.name === 'Periodic_Inform_Interval')).toMatchObject({ status: 'in-sync', reported: '900' });
    // The phone's user changes the interval: the next report shows the drift.
    phone.model.set('Device.ManagementServer.PeriodicInformInterval', 120);
    await api.post(`/devices/${enc(phone.deviceId)}/tasks`, { rpc: { method: 'GetParameterValues', parameterNames: ['Device.ManagementServer.PeriodicInformInterval'] } });
    await session();
    const drifted = (await viewer.get(`/devices/${enc(phone.deviceId)}/drift`)).body;
    expect(drifted.items.find((i: { name: string }) => i.name === 'Periodic_Inform_Interval')).toMatchObject({ status: 'drift', desired: '900', reported: '120', via: 'parameters' });
    expect(drifted.summary.drift).toBe(1);

    const history = (await viewer.get(`/devices/${enc(phone.deviceId)}/history?limit=1`)).body;
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ kind: 'file', changes: expect.arrayContaining([{ name: 'Station_Name', new: 'Desk 7001' }]) });
    const rest = (await viewer.get(`/devices/${enc(phone.deviceId)}/history?cursor=${history.nextCursor}`)).body;
    expect(rest.items.map((h: { kind: string }) => h.kind)).toEqual(['set']);
    expect(JSON.stringify(rest.items)).not.toContain('pw-7001');
    expect((await viewer.get(`/devices/${enc(phone.deviceId)}/history?cursor=bm90LWFuLWlk`)).status).toBe(400);

    const cli = await acsCli('profiles', 'effective', phone.deviceId);
    expect(cli.stdout).toMatch(/managed, revision r\S+, up to date/);
    expect(cli.stdout).toMatch(/Password_2_ .*\(secret\).*office@2.*file/);
  });

  it('a refused revision is cleared through the API and tried again', async () => {
    await api.put('/profiles/lobby', { precedence: 20, match: { serialNumbers: [phone.serialNumber] }, parameters: [{ name: 'Periodic_Inform_Interval', value: '0' }] });
    expect(await session()).toEqual(['SetParameterValues']);
    const view = (await viewer.get(`/devices/${enc(phone.deviceId)}/provisioning`)).body;
    expect(view).toMatchObject({ upToDate: false, failed: { code: 9003, taskId: expect.any(String) } });
    expect((await viewer.get(`/devices/${enc(phone.deviceId)}/faults`)).body.items.map((t: { id: string }) => t.id)).toContain(view.failed.taskId);
    expect(await session()).toEqual([]);
    expect((await api.delete(`/devices/${enc(phone.deviceId)}/provisioning/failure`)).status).toBe(204);
    expect((await api.delete(`/devices/${enc(phone.deviceId)}/provisioning/failure`)).status).toBe(404);
    expect(await session()).toEqual(['SetParameterValues']);
  });

  it('deleting a profile stops it applying; its revisions stay readable', async () => {
    expect((await api.delete('/profiles/lobby')).status).toBe(204);
    expect((await api.get('/profiles/lobby')).status).toBe(404);
    expect((await api.get('/profiles/lobby/revisions')).body.items[0]).toMatchObject({ revision: 3, deleted: true });
    // Back to the revision the phone received in full: nothing to send. What its user changed since is drift.
    expect(await session()).toEqual([]);
    const view = (await viewer.get(`/devices/${enc(phone.deviceId)}/provisioning`)).body;
    expect(view).toMatchObject({ upToDate: true, profiles: [{ name: 'office' }, { name: 'ntp' }] });
    expect(view.failed).toBeUndefined();
    expect((await viewer.get(`/devices/${enc(phone.deviceId)}/drift`)).body.summary.drift).toBe(1);
  });
});
