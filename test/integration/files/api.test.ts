import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { ciscoConfigHooks, Fleet, type FleetDevice } from '../../../src/sim';
import { freePort } from '../../../tools/local-stores/process';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, eventually, type ApiClient } from '../../support/api';
import { rawRequest, truncatedUpload } from '../../support/http';

/**
 * Files, desired Cisco parameters, Download flows, mapping overrides and data-model discovery
 * through the operator API, with the fs role and a simulated phone on the other side.
 */
let acs: TestAcs;
let api: ApiClient;
let admin: ApiClient;
let viewer: ApiClient;
let operatorToken: string;
let fleet: Fleet;
let phone: FleetDevice;
let mac: string;
const image = randomBytes(40_000);

const device = () => `/devices/${enc(phone.deviceId)}`;

function upload(query: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return request(`${acs.apiUrl}/api/v1/files?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/octet-stream', ...headers },
    body,
  }).then(async (res) => ({ status: res.statusCode, body: (await res.body.json()) as any }));
}

/**
 * The session that takes the task, then the one reporting its TransferCompletes (or just the
 * first). A phone with parameters of its own is under provisioning: the reconciler's file
 * comes with the operator's configuration Download.
 */
async function deliver(transfer = true, transfers = 1): Promise<void> {
  const reported = transfer ? phone.nextSession((o) => o.transferCompletes > 0, 20_000) : undefined;
  expect((await phone.runSession()).ok).toBe(true);
  if (reported) expect((await reported).transferCompletes).toBe(transfers);
}

beforeAll(async () => {
  const fsPort = await freePort();
  acs = await startTestAcs({ ACS_FS_PORT: String(fsPort), ACS_PUBLIC_FS_URL: `http://127.0.0.1:${fsPort}` }, { roles: ['cwmp', 'api', 'fs'] });
  operatorToken = await acs.token('operator');
  api = apiClient(acs, operatorToken);
  admin = apiClient(acs, await acs.token('admin'));
  viewer = apiClient(acs, await acs.token('viewer'));
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'APIF', retry: false, hooks: ciscoConfigHooks() });
  await fleet.start();
  phone = fleet.device(0);
  mac = String(phone.model.factory.macAddress);
  expect((await phone.runSession()).ok).toBe(true);
});
afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

describe('files', () => {
  it('uploads, lists, describes, serves and deletes files', async () => {
    const created = await upload('filename=sip88xx.12-0-4MPP-1.loads&kind=firmware&productClass=CP-8851-3PCC', image);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'firmware', version: 'sip88xx.12-0-4MPP-1', size: image.length, sha256: createHash('sha256').update(image).digest('hex'), uploadedBy: 'test-operator' });
    const id = created.body.id;
    expect((await viewer.get(`/files/${id}`)).body).toEqual(created.body);
    expect((await viewer.get('/files?kind=firmware')).body.items.map((f: { id: string }) => f.id)).toContain(id);
    expect((await viewer.get('/files?productClass=CP-7841-3PCC')).body.items.map((f: { id: string }) => f.id)).not.toContain(id);
    const content = await request(`${acs.apiUrl}/api/v1/files/${id}/content`, { headers: { authorization: `Bearer ${operatorToken}` } });
    expect(Buffer.from(await content.body.arrayBuffer()).equals(image)).toBe(true);

    const ca = await upload('filename=ca.pem&kind=ca', '-----BEGIN CERTIFICATE-----\n');
    expect(ca.status).toBe(201);
    expect((await api.delete(`/files/${ca.body.id}`)).status).toBe(204);
    expect((await api.get(`/files/${ca.body.id}`)).status).toBe(404);
    expect((await viewer.delete(`/files/${id}`)).status).toBe(403);
  });

  it('refuses a wrong checksum, a truncated upload, a bad kind and the wrong media type, storing nothing', async () => {
    const count = async () => (await viewer.get('/files?limit=1000')).body.items.length;
    const before = await count();
    const wrongSum = await upload(`filename=x.xml&kind=configuration&sha256=${'0'.repeat(64)}`, 'content');
    expect(wrongSum).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/does not match the expected 0{64}/) } });
    const noVersion = await upload('filename=image.bin&kind=firmware', 'content');
    expect(noVersion).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/needs a version/) } });
    expect((await upload('filename=x.xml&kind=binary', 'content')).status).toBe(400);
    expect((await upload('filename=x.xml&kind=configuration', 'content', { 'content-type': 'application/json' })).status).toBe(415);
    const url = new URL(`${acs.apiUrl}/api/v1/files?filename=cut.bin&kind=configuration`);
    await truncatedUpload(acs.apiUrl, `${url.pathname}${url.search}`, 'POST', Buffer.alloc(1000, 1), 100_000);
    expect(await eventually(count, (n) => n !== before, 1000)).toBe(before);
  });
});

describe('desired parameters, Downloads and the phones\' channel', () => {
  it('names every wrong parameter and stores nothing; shows secrets as set, never their value', async () => {
    expect((await api.put(`${device()}/mac`, { mac: mac.toUpperCase().match(/../g)!.join(':') })).body).toEqual({ mac });
    const bad = await api.put(`${device()}/cisco/desired`, {
      parameters: [
        { name: 'Station_Nmae', value: 'x' },
        { name: 'SIP_Port_1_', value: '70000' },
        { name: 'Profile_Rule', value: '(a)? http://x/y | [--nope] http://z/w' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['Station_Nmae', 'SIP_Port_1_', 'Profile_Rule']);
    expect((await api.get(`${device()}/cisco/desired`)).status).toBe(404);

    const fs = new URL(acs.fsUrl).host;
    const ok = await api.put(`${device()}/cisco/desired`, {
      parameters: [
        { name: 'Display_Name_1_', value: 'Desk $MA' },
        { name: 'Password_1_', value: 'line-secret' },
        { name: 'Station_Name', value: 'Lobby' },
        { name: 'Speed_Dial_2_Name', ua: 'rw', keep: true },
        { name: 'Report_Rule', value: `http://${fs}/cisco/report/config/$MA.xml` },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.parameters).toContainEqual({ name: 'Password_1_', secret: true });
    expect(JSON.stringify(ok.body)).not.toContain('line-secret');
    const changed = await api.call('PATCH', `${device()}/cisco/desired`, { body: { set: [{ name: 'GPP_A', value: 'a' }], remove: ['Station_Name'], delivery: { gzip: false } } });
    expect(changed.body.parameters.map((p: { name: string }) => p.name)).toEqual(['Display_Name_1_', 'Password_1_', 'Speed_Dial_2_Name', 'Report_Rule', 'GPP_A']);
  });

  it('queues the configuration Download; the phone applies its rendered profile', async () => {
    const queued = await api.post(`${device()}/cisco/downloads`, { kind: 'configuration' });
    expect(queued.status).toBe(201);
    expect(queued.body.rpc).toMatchObject({ method: 'Download', fileType: '3 Vendor Configuration File' });
    await deliver(true, 2);
    expect((await api.get(`/tasks/${queued.body.id}`)).body.status).toBe('done');
    expect(phone.model.get('Device.Services.VoiceService.1.VoiceProfile.1.Line.1.CallingFeatures.CallerIDName')).toBe(`Desk ${mac}`);
    expect(phone.cpe.vendorStore.get('GPP_A')).toBe('a');
  });

  it('queues a firmware Download checked against the image version, refuses impossible ones', async () => {
    const fw = await upload('filename=sip88xx.12-0-6MPP-1.loads&kind=firmware&productClass=CP-8851-3PCC', image);
    expect((await api.post(`${device()}/cisco/downloads`, { kind: 'firmware' })).body.errors[0]).toMatchObject({ field: 'fileId' });
    expect((await api.post(`${device()}/cisco/downloads`, { kind: 'ca', fileId: fw.body.id })).status).toBe(422);
    expect((await api.post(`/devices/${enc('00562B-NO-SUCH')}/cisco/downloads`, { kind: 'firmware', fileId: fw.body.id })).status).toBe(404);
    const queued = await api.post(`${device()}/cisco/downloads`, { kind: 'firmware', fileId: fw.body.id });
    expect(queued.body).toMatchObject({ expect: { softwareVersion: 'sip88xx.12-0-6MPP-1' }, rpc: { fileSize: image.length } });
    await deliver();
    expect((await api.get(`/tasks/${queued.body.id}`)).body.status).toBe('done');
    expect((await api.post(`${device()}/cisco/downloads`, { kind: 'firmware', fileId: fw.body.id })).status).toBe(409);
  });

  it('serves the profile to the phone on its own channel, stores its report, and logs the transfers', async () => {
    const ua = `Cisco-CP-8851-3PCC/12.0.6 (${mac})`;
    const res = await rawRequest(acs.fsUrl, '/cisco/CP-8851-3PCC.xml', { headers: { 'user-agent': ua } });
    expect(res.status).toBe(200);
    expect(profileValues(parseProfile(res.body))).toMatchObject({ Display_Name_1_: `Desk ${mac}`, GPP_A: 'a' });
    const put = await rawRequest(acs.fsUrl, `/cisco/report/config/${mac}.xml`, { method: 'PUT', body: '<flat-profile><GPP_A>a</GPP_A></flat-profile>', headers: { 'user-agent': ua } });
    expect(put.status).toBe(200);
    expect((await viewer.get(`${device()}/cisco/reported`)).body.config).toEqual({ GPP_A: 'a' });
    // The fs role writes its transfer log in groups, and a device with its own parameters gets
    // the reconciler's Download too: wait for the entries asserted, not for a count of them.
    const logged = (r: { body: { items: Array<{ resource: string; status: number }> } }) => r.body.items.map((t) => `${t.resource} ${t.status}`);
    const wanted = ['report 200', 'profile 200', 'file 200'];
    const transfers = await eventually(() => viewer.get(`${device()}/transfers?limit=20`), (r) => wanted.every((w) => logged(r).includes(w)));
    expect(logged(transfers)).toEqual(expect.arrayContaining(wanted));
  });
});

describe('mapping overrides and data models', () => {
  it('lets admins override the mapping of a product class, refusing broken overrides whole', async () => {
    const path = '/cisco/mappings/CP-8851-3PCC';
    expect((await api.put(path, { Profile_Rule: 'Device.X_CISCO_Provisioning.ProfileRule' })).status).toBe(403);
    const bad = await admin.put(path, { Profile_Rule: 'Device.X_CISCO_Provisioning.ProfileRule', Station_Name: 'Device.ManagementServer.URL' });
    expect(bad).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/both map to Device.ManagementServer.URL/) } });
    expect((await viewer.get(path)).body).toEqual({});
    expect((await admin.put(path, { Profile_Rule: 'Device.X_CISCO_Provisioning.ProfileRule', 'Proxy_{n}_': null })).status).toBe(200);
    expect((await viewer.get('/cisco/mappings')).body).toEqual({ 'CP-8851-3PCC': { Profile_Rule: 'Device.X_CISCO_Provisioning.ProfileRule', 'Proxy_{n}_': null } });
  });

  it('learns the phone\'s data model and reports the catalogue parameters it matched', async () => {
    const started = await api.post(`${device()}/cisco/datamodel`);
    expect(started).toMatchObject({ status: 202, body: { productClass: 'CP-8851-3PCC', state: 'pending' } });
    await deliver(false);
    const report = await viewer.get(`/cisco/datamodels/CP-8851-3PCC/${enc(started.body.softwareVersion)}`);
    expect(report.body.model).toMatchObject({ state: 'captured' });
    expect(report.body.match.matched).toContainEqual({ name: 'Profile_Rule', path: 'Device.X_CISCO_Provisioning.ProfileRule' });
    expect(report.body.match.unmapped).toContain('Proxy_1_');
    expect((await viewer.get('/cisco/datamodels')).body.items).toContainEqual(expect.objectContaining({ productClass: 'CP-8851-3PCC', state: 'captured' }));
  });
});
