import { Fleet } from '../../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';

/**
 * The routes the console's profile pages stand on: catalogue search, a dry run of a save, the
 * preview of an XML file, the devices a selector matches, conflicts with the devices they
 * affect, and restoring a revision. Real stores, devices registered by simulated phones.
 */
let acs: TestAcs;
let api: ApiClient;
let viewer: ApiClient;
let fleet: Fleet;
const FILE = '<flat-profile><Station_Name ua="na">Reception</Station_Name><Admin_Password>s3cret</Admin_Password><Resync_Periodic/></flat-profile>';

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp', 'api'] });
  api = apiClient(acs, await acs.token('operator'));
  viewer = apiClient(acs, await acs.token('viewer'));
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 3, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'PCR', retry: false });
  await fleet.start();
  for (const d of fleet.devices) expect(await d.runSession()).toMatchObject({ ok: true });
  for (const d of fleet.devices.slice(0, 2)) expect((await api.put(`/devices/${enc(d.deviceId)}/tags/pcr-lobby`)).status).toBe(204);
});
afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

describe('the catalogue', () => {
  it('finds a parameter by XML name, label or TR-069 path, exact match first, with its type', async () => {
    const exact = (await viewer.get('/cisco/catalogue?q=Periodic_Inform_Interval')).body.items;
    expect(exact[0]).toMatchObject({ name: 'Periodic_Inform_Interval', typeLabel: 'Uns32', tr069Path: 'Device.ManagementServer.PeriodicInformInterval', type: { kind: 'uns', bits: 32 } });
    const byPath = (await viewer.get('/cisco/catalogue?q=VoiceProfile.2.SIP.ProxyServer&limit=5')).body.items;
    expect(byPath.map((h: { name: string }) => h.name)).toContain('Proxy_2_');
    const byLabel = (await viewer.get('/cisco/catalogue?q=resync%20at&limit=50')).body.items;
    expect(byLabel.map((h: { name: string }) => h.name)).toContain('Resync_At__HHmm_');
    const secret = (await viewer.get('/cisco/catalogue?q=Admin_Password')).body.items[0];
    expect(secret).toMatchObject({ name: 'Admin_Password', secret: true });
    expect(secret.sample).toBeUndefined();
    expect((await viewer.get('/cisco/catalogue?limit=0')).status).toBe(400);
  });
});

describe('a dry run refuses what a save refuses, and stores nothing', () => {
  it('names each wrong field, as create does', async () => {
    const body = { name: 'dry', precedence: 1, match: { macs: ['nope'] }, parameters: [{ name: 'SIP_Port_1_', value: '99999' }, { name: 'Not_A_Thing', value: '1' }] };
    const dry = await api.post('/profiles/validate', body);
    const real = await api.post('/profiles', body);
    expect(dry.status).toBe(422);
    expect(dry.body.errors).toEqual(real.body.errors);
    expect(dry.body.errors.map((e: { field: string }) => e.field)).toEqual(['match', 'SIP_Port_1_', 'Not_A_Thing']);
    expect((await api.post('/profiles/validate', { ...body, name: 'bad name!' })).body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    expect((await api.get('/profiles/dry')).status).toBe(404);
  });

  it('answers the stored form and the conflicts saving would leave; a viewer may not', async () => {
    expect((await api.post('/profiles', { name: 'dry-other', precedence: 3, match: { tags: ['pcr-lobby'] }, parameters: [{ name: 'Station_Name', value: 'Other' }] })).status).toBe(201);
    const ok = await api.post('/profiles/validate', { name: 'dry', precedence: 3, match: {}, parameters: [{ name: 'Device.ManagementServer.PeriodicInformInterval', value: '600' }, { name: 'Station Name', value: 'Mine' }] });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      parameters: [
        { name: 'Station_Name', value: 'Mine' },
        { name: 'Periodic_Inform_Interval', value: '600' },
      ],
      renamed: [{ given: 'Station Name', name: 'Station_Name' }],
      conflicts: [{ parameter: 'Station_Name', precedence: 3, profiles: ['dry', 'dry-other'] }],
    });
    expect((await api.get('/profiles/dry')).status).toBe(404);
    expect((await viewer.post('/profiles/validate', { name: 'dry', precedence: 1, match: {}, parameters: [] })).status).toBe(403);
  });
});

describe('secrets', () => {
  it('a secret sent back without its value keeps the stored one; with nothing stored it is refused', async () => {
    expect((await api.post('/profiles', { name: 'dry-secret', precedence: 9, match: { tags: ['none-such'] }, parameters: [{ name: 'Admin_Password', value: 'hunter2' }] })).status).toBe(201);
    const shown = (await api.get('/profiles/dry-secret')).body.parameters;
    expect(shown).toEqual([{ name: 'Admin_Password', secret: true }]);
    const replaced = await api.put('/profiles/dry-secret', { precedence: 9, match: { tags: ['none-such'] }, parameters: [...shown, { name: 'Station_Name', value: 'S' }] });
    expect(replaced.status).toBe(200);
    const stored = await acs.stores.db.collection('profiles').findOne({ _id: 'dry-secret' as never });
    expect(stored?.parameters).toEqual([{ name: 'Admin_Password', value: 'hunter2' }, { name: 'Station_Name', value: 'S' }]);
    const none = await api.post('/profiles/validate', { name: 'dry-new', precedence: 1, match: {}, parameters: [{ name: 'User_Password', secret: true }] });
    expect(none.status).toBe(422);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'User_Password', message: expect.stringMatching(/no stored secret/) })]);
    expect((await api.delete('/profiles/dry-secret')).status).toBe(204);
  });
});

describe('importing a file', () => {
  it('shows the parameters of a flat profile without saving, and refuses what is not one', async () => {
    const res = await api.post('/profiles/import/preview', { xml: FILE });
    expect(res.status).toBe(200);
    expect(res.body.parameters).toEqual([
      { name: 'Station_Name', value: 'Reception', ua: 'na' },
      { name: 'Admin_Password', value: 's3cret' },
      { name: 'Resync_Periodic', value: '', keep: true },
    ]);
    const bad = await api.post('/profiles/import/preview', { xml: '<flat-profile><Open>' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toMatch(/cannot be read/);
    expect((await api.get('/profiles')).body.items.map((p: { name: string }) => p.name)).toEqual(['dry-other']);
  });
});

describe('the devices a selector matches', () => {
  it('counts and lists them, for a selector not saved yet', async () => {
    const [a, b, c] = fleet.devices;
    const lobby = (await viewer.post('/profiles/matches', { match: { tags: ['pcr-lobby'] } })).body;
    expect(lobby).toMatchObject({ count: 2, complete: true });
    expect(lobby.items.map((d: { id: string }) => d.id).sort()).toEqual([a!.deviceId, b!.deviceId].sort());
    const one = (await viewer.post('/profiles/matches', { match: { serialNumbers: [c!.serialNumber] }, limit: 0 })).body;
    expect(one).toEqual({ count: 1, complete: true, items: [] });
    const all = (await viewer.post('/profiles/matches', { match: {} })).body;
    expect(all.count).toBe(3);
    const bad = await viewer.post('/profiles/matches', { match: { macs: ['zz'] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'match' });
  });
});

describe('conflicts and revisions', () => {
  it('lists a conflict with the devices both profiles match', async () => {
    const [a] = fleet.devices;
    expect((await api.post('/profiles', { name: 'dry-mine', precedence: 3, match: { serialNumbers: [a!.serialNumber, 'NOT-THERE'] }, parameters: [{ name: 'Station_Name', value: 'Mine' }] })).status).toBe(201);
    const items = (await viewer.get('/profiles/conflicts')).body.items;
    expect(items).toEqual([{ parameter: 'Station_Name', precedence: 3, profiles: ['dry-mine', 'dry-other'], devices: { count: 1, complete: true, items: [expect.objectContaining({ id: a!.deviceId, tags: ['pcr-lobby'] })] } }]);
  });

  it('restores an earlier revision as a new one, also of a deleted profile', async () => {
    expect((await api.put('/profiles/dry-mine', { precedence: 4, match: {}, parameters: [{ name: 'Station_Name', value: 'Changed' }] })).status).toBe(200);
    expect((await api.post('/profiles/dry-mine/revisions/1/restore', { ifRevision: 1 })).status).toBe(409);
    const restored = await api.post('/profiles/dry-mine/revisions/1/restore', {});
    expect(restored.status).toBe(200);
    expect(restored.body.profile).toMatchObject({ revision: 3, precedence: 3, parameters: [{ name: 'Station_Name', value: 'Mine' }] });
    expect(restored.body.conflicts).toHaveLength(1);
    expect((await api.delete('/profiles/dry-mine')).status).toBe(204);
    expect((await api.post('/profiles/dry-mine/revisions/4/restore', {})).status).toBe(422);
    const back = await api.post('/profiles/dry-mine/revisions/2/restore', {});
    expect(back.body.profile).toMatchObject({ revision: 5, precedence: 4 });
    expect((await api.post('/profiles/dry-mine/revisions/99/restore', {})).status).toBe(404);
    expect((await viewer.post('/profiles/dry-mine/revisions/1/restore', {})).status).toBe(403);
    const audit = await acs.stores.db.collection('audit').countDocuments({ action: 'profile.restore', status: 200 });
    expect(audit).toBe(2);
  });
});
