import { decodeEnvelope } from '../../../src/cwmp/soap';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';
import { inform, ManualCpe } from '../../support/cwmp-client';
import { seedDevices } from '../../support/seed';

/** The device search box (`GET /devices?q=`): every key, on seeded devices and from real sessions. */
let acs: TestAcs;
let api: ApiClient;
let ids: string[];

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp', 'api'] });
  api = apiClient(acs, await acs.token('operator'));
  ids = await seedDevices(
    acs.stores.db,
    [
      {
        serialNumber: 'FCH2233ABCD',
        mac: '00562baabbcc',
        remoteAddress: '10.1.2.3',
        tags: ['floor-3'],
        params: { 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthUserName': 'alice4711', 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.DirectoryNumber': '+4930123456' },
      },
      {
        serialNumber: 'FCH9999WXYZ',
        productClass: 'CP-7841-3PCC',
        softwareVersion: 'sip78xx.12-0-1MPP',
        connectionRequestUrl: 'http://192.168.7.40:7547/cr',
        params: { 'Device.X_CISCO_COM_SPA.Ext_1.User_ID_1_': '2001', 'Device.X_CISCO_COM_SPA.Ext_1.Display_Name_1_': 'Reception Desk' },
      },
      { serialNumber: 'OTHER0001', tags: ['lab'] },
    ],
    1000,
    { search: true },
  );
});
afterAll(async () => acs?.close());

const found = async (q: string, extra = '') => {
  const r = await api.get(`/devices?q=${encodeURIComponent(q)}${extra}`);
  expect(r.status).toBe(200);
  return (r.body.items as Array<{ id: string }>).map((d) => d.id).sort();
};

it('finds a device by each of its keys, case-insensitively and by the start of the value', async () => {
  const [a, b, c] = ids;
  const cases: Array<[string, string[]]> = [
    ['FCH2233ABCD', [a]], // serial
    ['fch2233', [a]], // start of a serial
    ['FCH', [a, b]],
    ['00:56:2B:AA:BB:CC', [a]], // MAC, colons
    ['0056.2baa.bbcc', [a]], // MAC, Cisco dots
    ['00-56-2b-aa-bb-cc', [a]], // MAC, dashes
    ['00562BAABBCC', [a]], // MAC, bare
    ['00:56:2b:aa', [a]], // start of a MAC
    [a, [a]], // device id
    ['10.1.2.3', [a]], // reported address
    ['192.168.7.40', [b]], // host of the connection-request URL
    ['floor-3', [a]], // tag
    ['cp-7841-3pcc', [b]], // product class
    ['sip78xx', [b]], // software version
    ['alice4711', [a]], // TR-104 SIP user
    ['+4930123456', [a]], // TR-104 directory number
    ['2001', [b]], // Cisco User_ID_1_
    ['reception', [b]], // Cisco Display_Name_1_
    ['Reception  desk', [b]],
    ['no-such-thing', []],
  ];
  for (const [q, want] of cases) expect({ q, got: await found(q) }).toEqual({ q, got: want.sort() });
  expect(await found('lab')).toEqual([c]);
});

it('combines with the other conditions, sorts and pages like the list', async () => {
  expect(await found('FCH', '&productClass=CP-7841-3PCC')).toEqual([ids[1]]);
  const first = await api.get('/devices?q=FCH&limit=1');
  expect(first.body.items).toHaveLength(1);
  expect(first.body.matchesTruncated).toBe(false);
  const second = await api.get(`/devices?q=FCH&limit=1&cursor=${first.body.nextCursor}`);
  expect(second.body.items).toHaveLength(1);
  expect(second.body.nextCursor).toBeNull();
  expect([first.body.items[0].id, second.body.items[0].id].sort()).toEqual([ids[0], ids[1]].sort());
  const sorted = await api.get('/devices?q=FCH&sort=-lastInformAt');
  expect(sorted.status).toBe(200);
  expect((await api.get('/devices?q=')).status).toBe(400);
  expect((await api.get(`/devices?q=${'x'.repeat(200)}`)).status).toBe(400);
});

it('sessions and tag changes keep the index current', async () => {
  const first = new ManualCpe(`${acs.cwmpUrl}/cwmp`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  await first.exchange(inform('NEWPHONE77', ['0 BOOTSTRAP']));
  expect((await first.post('')).status).toBe(204);
  const id = '00562B-CP%2D8851%2D3PCC-NEWPHONE77';
  expect(await found('newphone77')).toEqual([id]);
  // the line's extension is learned by GetParameterValues
  await new TaskRepository(acs.stores.db).queue(id, { method: 'GetParameterValues', parameterNames: ['Device.Services.VoiceService.1.VoiceProfile.1.Line.1.'] });
  const cpe = new ManualCpe(`${acs.cwmpUrl}/cwmp`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  await cpe.exchange(inform('NEWPHONE77'));
  const rpc = decodeEnvelope((await cpe.post('')).text);
  const done = await cpe.send(
    { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.DirectoryNumber', value: '5150', type: 'xsd:string' }] },
    { id: rpc.header.id },
  );
  expect(done.status).toBe(204);
  expect(await found('5150')).toEqual([id]);
  expect((await api.put(`/devices/${enc(id)}/tags/helpdesk`)).status).toBe(204);
  expect(await found('helpdesk')).toEqual([id]);
  expect((await api.delete(`/devices/${enc(id)}/tags/helpdesk`)).status).toBe(204);
  expect(await found('helpdesk')).toEqual([]);
  const admin = apiClient(acs, await acs.token('admin'));
  expect((await admin.delete(`/devices/${enc(id)}`)).status).toBe(204);
  expect(await acs.stores.db.collection('device_search').countDocuments({ d: id })).toBe(0);
});
