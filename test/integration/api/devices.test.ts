import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';
import { seedDevices } from '../../support/seed';

/** The device list: filters, sort, keyset pages, projection; and device maintenance. */
let acs: TestAcs;
let api: ApiClient;
let ids: string[];
const T0 = Date.parse('2025-01-01T00:00:00Z');
const MODEL = 'Device.DeviceInfo.ModelName';
const SIP_PASSWORD = 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthPassword';

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['api'] });
  api = apiClient(acs, await acs.token('operator'));
  ids = await seedDevices(
    acs.stores.db,
    Array.from({ length: 30 }, (_, i) => ({
      serialNumber: `LIST${String(i).padStart(3, '0')}`,
      productClass: i % 3 === 0 ? 'CP-7841-3PCC' : 'CP-8851-3PCC',
      softwareVersion: i < 10 ? 'sip78xx.11-3-7MPP' : 'sip88xx.12-0-1MPP-2',
      tags: [...(i % 2 ? ['odd'] : ['even']), ...(i % 5 === 0 ? ['five'] : [])],
      // every third device informed last: lastInformAt order differs from id order
      lastInformAt: new Date(T0 + ((i * 7) % 30) * 60_000),
      params: { [MODEL]: i % 3 === 0 ? 'CP-7841' : 'CP-8851', 'Device.ManagementServer.PeriodicInformInterval': 60 + (i % 4), [SIP_PASSWORD]: `secret-${i}` },
    })),
  );
});
afterAll(async () => acs?.close());

const listIds = async (query: string) => {
  const r = await api.get(`/devices?${query}`);
  expect(r.status).toBe(200);
  return r.body.items.map((d: { id: string }) => d.id) as string[];
};

async function walk(query: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const r = await api.get(`/devices?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...r.body.items.map((d: { id: string }) => d.id));
    cursor = r.body.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('more than 50 pages');
}

it('pages through every device in id order without repeats or gaps', async () => {
  expect(await walk('sort=id', 7)).toEqual([...ids].sort());
});

it('pages in lastBootAt order both ways, devices that never booted as MongoDB orders a missing field', async () => {
  const boots = acs.stores.db.collection('devices');
  // last boot in reverse id order; every fourth device has none
  for (const [i, id] of ids.entries()) {
    await boots.updateOne({ _id: id as never }, i % 4 === 0 ? { $unset: { lastBootAt: '' } } : { $set: { lastBootAt: new Date(T0 - i * 60_000) } });
  }
  const order = (pred: (i: number) => boolean) => {
    const never = ids.filter((_, i) => pred(i) && i % 4 === 0).sort();
    const booted = ids.filter((_, i) => pred(i) && i % 4 !== 0).reverse();
    return [...never, ...booted];
  };
  // 8 never booted and 22 booted; with the product class, 5 and 15. These page sizes end a page
  // exactly where the booted devices end (or where they start), or one or more rows before it.
  for (const [query, pred] of [
    ['', () => true],
    ['&productClass=CP-8851-3PCC', (i: number) => i % 3 !== 0],
  ] as const) {
    for (const limit of [1, 2, 3, 4, 5, 7, 11]) {
      expect(await walk(`sort=lastBootAt${query}`, limit)).toEqual(order(pred));
      expect(await walk(`sort=-lastBootAt${query}`, limit)).toEqual(order(pred).reverse());
    }
  }
});

it('pages in lastInformAt order, both directions', async () => {
  const byTime = [...ids].map((id, i) => ({ id, t: (i * 7) % 30 })).sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
  expect(await walk('sort=lastInformAt', 4)).toEqual(byTime.map((x) => x.id));
  expect(await walk('sort=-lastInformAt', 6)).toEqual(byTime.map((x) => x.id).reverse());
});

it('filters by product class, software version, tags, last Inform and ids (all conditions hold)', async () => {
  const expected = (pred: (i: number) => boolean) => ids.filter((_, i) => pred(i)).sort();
  expect(await listIds('productClass=CP-7841-3PCC&limit=100')).toEqual(expected((i) => i % 3 === 0));
  expect(await listIds('softwareVersion=sip78xx.11-3-7MPP&limit=100')).toEqual(expected((i) => i < 10));
  expect(await listIds('tag=odd&tag=five&limit=100')).toEqual(expected((i) => i % 2 === 1 && i % 5 === 0));
  const after = new Date(T0 + 10 * 60_000).toISOString();
  const before = new Date(T0 + 20 * 60_000).toISOString();
  expect(await listIds(`lastInformAfter=${after}&lastInformBefore=${before}&limit=100`)).toEqual(expected((i) => (i * 7) % 30 >= 10 && (i * 7) % 30 < 20));
  expect(await listIds(`id=${enc(ids[4])}&id=${enc(ids[9])}`)).toEqual([ids[4], ids[9]].sort());
  expect(await listIds('productClass=CP-8851-3PCC&tag=even&softwareVersion=sip88xx.12-0-1MPP-2&limit=100')).toEqual(expected((i) => i % 3 !== 0 && i % 2 === 0 && i >= 10));
});

it('refuses a parameter filter that would read every device, unless asked to scan', async () => {
  const refused = await api.get(`/devices?param=${MODEL}=CP-7841`);
  expect(refused.status).toBe(400);
  expect(refused.body.errors[0]).toMatchObject({ in: 'query', field: 'param' });
  expect(refused.body.detail).toMatch(/no index.*scan=true/);
  expect(await listIds(`param=${MODEL}=CP-7841&scan=true&limit=100`)).toEqual(ids.filter((_, i) => i % 3 === 0).sort());
  // text matches the number the device reported; conditions on devices still apply
  expect(await walk(`param=Device.ManagementServer.PeriodicInformInterval=61&scan=true&tag=odd`, 2)).toEqual(ids.filter((_, i) => i % 4 === 1).sort());
  expect((await api.get(`/devices?param=${MODEL}=x&scan=true&sort=-lastInformAt`)).body.errors[0]).toMatchObject({ field: 'sort' });
  expect((await api.get('/devices?param=Device..X=1&scan=true')).body.errors[0]).toMatchObject({ field: 'param.0' });
});

it('shows the parameters asked for, and never a secret value', async () => {
  const plain = await api.get(`/devices?id=${enc(ids[3])}`);
  expect(plain.body.items[0].parameters).toBeUndefined();
  expect(plain.body.items[0]).toMatchObject({ id: ids[3], softwareVersion: 'sip78xx.11-3-7MPP', tags: ['odd'], queuedTasks: [] });
  const some = await api.get(`/devices?id=${enc(ids[3])}&fields=${MODEL},Device.Services.`);
  expect(Object.keys(some.body.items[0].parameters).sort()).toEqual([MODEL, SIP_PASSWORD]);
  expect(some.body.items[0].parameters[MODEL]).toMatchObject({ value: 'CP-7841', type: 'xsd:string' });
  expect(some.body.items[0].parameters[SIP_PASSWORD].value).toBe('***');
  const one = await api.get(`/devices/${enc(ids[3])}`);
  expect(Object.keys(one.body.parameters)).toEqual(expect.arrayContaining([MODEL, SIP_PASSWORD, 'Device.DeviceInfo.SoftwareVersion']));
  expect(JSON.stringify(one.body)).not.toContain('secret-3');
  const subtree = (await api.get(`/devices/${enc(ids[3])}?fields=Device.ManagementServer.`)).body.parameters;
  expect(subtree['Device.ManagementServer.PeriodicInformInterval']).toMatchObject({ value: 63 });
  expect(Object.keys(subtree).every((k) => k.startsWith('Device.ManagementServer.'))).toBe(true);
});

it('refuses page sizes over the limit, foreign cursors, unknown parameters and wrong types, naming them', async () => {
  const cases: Array<[string, string]> = [
    ['limit=1001', 'limit'],
    ['limit=0', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=!!!', 'cursor'],
    ['cursor=WzFd', 'cursor'],
    ['sort=serialNumber', 'sort'],
    ['color=blue', 'color'],
    ['lastInformAfter=yesterday', 'lastInformAfter'],
    ['tag=bad%20tag', 'tag.0'],
    [`fields=${MODEL},Device..X`, 'fields'],
  ];
  for (const [query, field] of cases) {
    const r = await api.get(`/devices?${query}`);
    expect({ query, status: r.status }).toEqual({ query, status: 400 });
    expect({ query, fields: r.body.errors.map((e: { field: string }) => e.field) }).toEqual({ query, fields: expect.arrayContaining([field]) });
  }
  const idCursor = (await api.get('/devices?limit=1')).body.nextCursor;
  expect((await api.get(`/devices?sort=lastInformAt&cursor=${idCursor}`)).body.errors[0]).toMatchObject({ field: 'cursor' });
});

it('tags and untags devices (operator), refuses viewers, deletes devices (admin) with their pending tasks', async () => {
  const id = ids[12];
  expect((await api.put(`/devices/${enc(id)}/tags/rollout-1`)).status).toBe(204);
  expect((await api.put(`/devices/${enc(id)}/tags/rollout-1`)).status).toBe(204);
  expect((await api.get(`/devices/${enc(id)}`)).body.tags).toEqual(['even', 'rollout-1']);
  expect(await listIds('tag=rollout-1')).toEqual([id]);
  expect((await api.delete(`/devices/${enc(id)}/tags/even`)).status).toBe(204);
  expect((await api.get(`/devices/${enc(id)}`)).body.tags).toEqual(['rollout-1']);
  expect((await api.put('/devices/000000-X-GONE/tags/a')).status).toBe(404);
  const viewer = apiClient(acs, await acs.token('viewer'));
  expect((await viewer.put(`/devices/${enc(id)}/tags/x`)).status).toBe(403);

  const queued = await api.post(`/devices/${enc(id)}/tasks`, { rpc: { method: 'Reboot' } });
  expect((await api.delete(`/devices/${enc(id)}`)).status).toBe(403);
  const admin = apiClient(acs, await acs.token('admin'));
  expect((await admin.delete(`/devices/${enc(id)}`)).status).toBe(204);
  expect((await api.get(`/devices/${enc(id)}`)).status).toBe(404);
  expect((await api.get(`/tasks/${queued.body.id}`)).body.status).toBe('cancelled');
  expect(await acs.stores.db.collection('device_params').countDocuments({ _id: id as never })).toBe(0);
  expect((await admin.delete(`/devices/${enc(id)}`)).status).toBe(404);
});
