import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, eventually, type ApiClient } from '../../support/api';
import { registerDevice, type TestDevice } from '../../support/devices';
import { runCli } from '../../support/cli';
import { rawRequest } from '../../support/http';
import { ensureTftpClients, tftpHpa } from '../../support/tftp';

/**
 * Partitioned profiles (S22 of the digest): "One file is common for all the phones in a
 * deployment. A separate, unique file is provided for each account" (001 L1245-1262); the
 * phone fetches Profile_Rule, then Profile_Rule_B.._D, and "the last profile processed takes
 * precedence" (001 L778-779). The guide's exercise: basic2.txt with `<GPP_B>ABCD</GPP_B>` on
 * Profile_Rule_B (000 L1269-1304). Profiles through the operator API, files fetched as the
 * phone does (HTTP and TFTP), applied in the phone's order.
 */
let acs: TestAcs;
let api: ApiClient;
let phone: TestDevice;
let tftpPhone: TestDevice;
const PUBLIC_FS = 'http://127.0.0.1:7567';
const values = (body: Buffer) => profileValues(parseProfile(body));
const param = (name: string, value: string) => ({ name, value });

beforeAll(async () => {
  ensureTftpClients();
  acs = await startTestAcs({ ACS_FS_UNPROVEN_BUDGET: '1000', ACS_PUBLIC_FS_URL: PUBLIC_FS }, { roles: ['api', 'fs', 'tftp'] });
  api = apiClient(acs, await acs.token('operator'));
  phone = await registerDevice(acs.stores.db, { serialNumber: 'FCHPT0001', productClass: 'CP-6841-3PCC', mac: '000e08aa0001' });
  tftpPhone = await registerDevice(acs.stores.db, { serialNumber: 'FCHPT0002', productClass: 'CP-6841-3PCC', mac: '000e08aa0002' });
}, 120_000);
afterAll(async () => {
  await acs?.close();
});

/** The phone's resync: every rule's file in order, each setting what it holds (the last wins). */
async function resync(fetch: (rule: string) => Promise<Buffer | undefined>, first: Buffer): Promise<Record<string, string>> {
  const state: Record<string, string> = { ...values(first) };
  for (const rule of ['Profile_Rule_B', 'Profile_Rule_C', 'Profile_Rule_D']) {
    const url = state[rule];
    if (!url) continue;
    const body = await fetch(url);
    if (body) Object.assign(state, values(body));
  }
  return state;
}

describe('partitioned profiles (S22)', () => {
  it('are refused with a partition that is no rule, naming the field', async () => {
    const res = await api.post('/profiles', { name: 'bad-partition', precedence: 1, partition: 'E', match: {}, parameters: [param('GPP_A', 'x')] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/partition/);
  });

  it('serve the common file on Profile_Rule and the account file on the rendered Profile_Rule_B; the account value wins', async () => {
    const common = await api.post('/profiles', {
      name: 'common',
      precedence: 10,
      match: { productClasses: ['CP-6841-3PCC'] },
      parameters: [param('Station_Name', 'Common'), param('GPP_B', 'XYZ'), param('Profile_Rule', `${PUBLIC_FS}/cisco/common/$MA.xml`)],
    });
    expect(common.status).toBe(201);
    const account = await api.post('/profiles', {
      name: 'account-0001',
      precedence: 10,
      partition: 'B',
      match: { deviceIds: [phone.id] },
      parameters: [param('GPP_B', 'ABCD'), param('User_ID_1_', '4085550001')],
    });
    expect(account.status).toBe(201);
    // One precedence, two partitions: no conflict (the later file wins on the phone).
    expect(account.body.conflicts).toEqual([]);
    expect(account.body.profile.partition).toBe('B');
    expect((await api.get('/profiles/account-0001')).body.partition).toBe('B');

    const first = await eventually(
      () => rawRequest(acs.fsUrl, `/cisco/common/${phone.mac}.xml`),
      (r) => r.status === 200 && values(r.body).Profile_Rule_B !== undefined,
    );
    expect(first.status).toBe(200);
    const a = values(first.body);
    expect(a.Station_Name).toBe('Common');
    expect(a.Profile_Rule_B).toBe(`${PUBLIC_FS}/cisco/partition-b/$MA.xml`);
    // Each name is in one file only: the merge gave GPP_B to the account file.
    expect(a.GPP_B).toBeUndefined();
    expect(a.User_ID_1_).toBeUndefined();

    const b = await rawRequest(acs.fsUrl, `/cisco/partition-b/${phone.mac}.xml`);
    expect(b.status).toBe(200);
    expect(values(b.body)).toEqual({ GPP_B: 'ABCD', User_ID_1_: '4085550001' });

    const final = await resync(async (url) => (await rawRequest(acs.fsUrl, new URL(url.replace('$MA', phone.mac)).pathname)).body, first.body);
    expect(final).toMatchObject({ GPP_B: 'ABCD', Station_Name: 'Common', User_ID_1_: '4085550001' });
  });

  it('serve the operator own Profile_Rule_B URL over TFTP, the common file on Profile_Rule (000 L1289-1293)', async () => {
    const res = await api.post('/profiles', {
      name: 'tftp-common',
      precedence: 20,
      match: { deviceIds: [tftpPhone.id] },
      parameters: [param('Station_Name', 'TFTP lobby'), param('Profile_Rule', 'tftp://192.168.1.200/CP-6841-3PCC$MA.cfg'), param('Profile_Rule_B', 'tftp://192.168.1.200/account$MA.cfg')],
    });
    expect(res.status).toBe(201);
    expect((await api.post('/profiles', { name: 'tftp-account', precedence: 20, partition: 'B', match: { deviceIds: [tftpPhone.id] }, parameters: [param('GPP_B', 'ABCD')] })).status).toBe(201);
    const port = Number(new URL(acs.tftpUrl.replace('tftp:', 'http:')).port);
    const first = await eventually(
      () => tftpHpa(port, 'get', `CP-6841-3PCC${tftpPhone.mac}.cfg`),
      (r) => r.ok && values(r.data).Station_Name === 'TFTP lobby',
    );
    const a = values(first.data);
    expect(a.Profile_Rule_B).toBe('tftp://192.168.1.200/account$MA.cfg');
    expect(a.GPP_B).toBeUndefined();
    const final = await resync(async (url) => (await tftpHpa(port, 'get', new URL(url.replace('$MA', tftpPhone.mac)).pathname)).data, first.data);
    expect(final).toMatchObject({ Station_Name: 'TFTP lobby', GPP_B: 'ABCD' });
  });

  it('are imported from the guide basic2.txt with `acs profiles import --partition B` (000 L1277-1287)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'acs-partition-'));
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { ACS_API_URL: acs.apiUrl, ACS_API_TOKEN: await acs.token('operator', 'cli') });
      const file = path.join(dir, 'basic2.txt');
      writeFileSync(file, '<flat-profile><GPP_B>ABCD</GPP_B></flat-profile>');
      const imported = await runCli('profiles', 'import', file, '--partition', 'B', '--device', phone.id);
      expect(imported.code).toBe(0);
      expect((await api.get('/profiles/basic2')).body).toMatchObject({ partition: 'B', parameters: [{ name: 'GPP_B', value: 'ABCD' }] });
      const refused = await runCli('profiles', 'import', file, '--name', 'basic2-e', '--partition', 'E');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/partition/);
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
