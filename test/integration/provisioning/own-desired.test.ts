import { request } from 'undici';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { StoredDesiredConfig } from '../../../src/provisioning';
import { ciscoConfigHooks, ciscoReport, Fleet, type FleetDevice } from '../../../src/sim';
import { freePort } from '../../../tools/local-stores/process';
import type { TaskDoc } from '../../../src/tasks/types';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, enc, type ApiClient } from '../../support/api';

/**
 * S02 (cisco-seeds-digest §12): a device's own desired parameters reach it at BOOTSTRAP by a
 * Download of the "Vendor configuration file" even when no profile matches it. The guide: the
 * phone supports the Download RPC for a vendor configuration file and the Bootstrap and
 * Transfer Complete events (001 L290-312); the line-1 account is the guide's sample
 * (`User_ID_1_` 4085263127, `Auth_ID_1_` AUN3127, `Proxy_1_` as1bsoft.sipurash.com, 001
 * L3412-3433, whose tag names the XML naming rule of 001 L675 restores).
 */
const ACCOUNT = { User_ID_1_: '4085263127', Auth_ID_1_: 'AUN3127', Proxy_1_: 'as1bsoft.sipurash.com' };

const entries = (values: Record<string, string>) => Object.entries(values).map(([name, value]) => ({ name, value }));

let acs: TestAcs;
let api: ApiClient;
let fleet: Fleet;

beforeAll(async () => {
  const fsPort = await freePort();
  acs = await startTestAcs({ ACS_FS_PORT: String(fsPort), ACS_PUBLIC_FS_URL: `http://127.0.0.1:${fsPort}` }, { roles: ['cwmp', 'api', 'fs'] });
  api = apiClient(acs, await acs.token('operator'));
  // No profile exists at all: only the devices' own parameters.
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 3, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'OWN', retry: false, hooks: ciscoConfigHooks() });
  await fleet.start();
});
afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

/** A session, then the one that reports a TransferComplete when the first carried a Download. */
async function session(d: FleetDevice): Promise<{ requests: string[]; events: string[] }> {
  const reported = d.nextSession((o) => o.transferCompletes > 0, 20_000);
  const outcome = await d.runSession();
  expect(outcome.ok).toBe(true);
  if (outcome.acsRequests.includes('Download')) expect((await reported).transferCompletes).toBe(1);
  else reported.catch(() => undefined);
  return { requests: outcome.acsRequests, events: outcome.events };
}

/**
 * What the phone now holds, as Cisco XML names (its data model and vendor store); the proxy
 * without the port its data model adds (5060, the SIP default).
 */
function onPhone(d: FleetDevice): Record<string, string> {
  const values = profileValues(parseProfile(ciscoReport(d.cpe)));
  if (values.Proxy_1_) values.Proxy_1_ = values.Proxy_1_.replace(/:5060$/, '');
  return values;
}

function provisioningDownloads(deviceId: string): Promise<TaskDoc[]> {
  return acs.stores.db.collection<TaskDoc>('tasks').find({ deviceId, createdBy: 'provisioning', 'rpc.method': 'Download' }).toArray();
}

describe("a device's own parameters, no profile", () => {
  it('reach the phone at its first BOOTSTRAP by the vendor configuration file, written before it ever informed', async () => {
    const phone = fleet.device(0);
    // Zero touch: the ACS holds the account before the phone exists for it.
    await new StoredDesiredConfig(acs.stores.db).replace(phone.deviceId, entries(ACCOUNT));

    const first = await session(phone);
    expect(first.events).toContain('0 BOOTSTRAP');
    expect(first.requests).toContain('Download');
    expect(onPhone(phone)).toMatchObject(ACCOUNT);

    // The file the Download named: a well-formed flat profile carrying exactly those names.
    const [task] = await provisioningDownloads(phone.deviceId);
    expect(task.rpc).toMatchObject({ method: 'Download', fileType: '3 Vendor Configuration File' });
    const served = await request((task.rpc as { url: string }).url);
    expect(served.statusCode).toBe(200);
    expect(profileValues(parseProfile(Buffer.from(await served.body.arrayBuffer())))).toMatchObject(ACCOUNT);

    // Applied: the next session costs nothing.
    expect((await session(phone)).requests).toEqual([]);
  });

  it('a change through the API reaches the phone at its next Inform, not only at BOOTSTRAP', async () => {
    const phone = fleet.device(0);
    const patched = await api.call('PATCH', `/devices/${enc(phone.deviceId)}/cisco/desired`, { body: { set: [{ name: 'Proxy_1_', value: 'as2bsoft.sipurash.com' }] } });
    expect(patched.status).toBe(200);
    expect((await session(phone)).requests.length).toBeGreaterThan(0);
    expect(onPhone(phone).Proxy_1_).toBe('as2bsoft.sipurash.com');
    expect((await session(phone)).requests).toEqual([]);
  });

  it('set through the API on a known device, they reach it again after a factory reset (BOOTSTRAP)', async () => {
    const phone = fleet.device(1);
    expect((await session(phone)).requests).toEqual([]);
    const put = await api.put(`/devices/${enc(phone.deviceId)}/cisco/desired`, { parameters: entries(ACCOUNT) });
    expect(put.status).toBe(200);
    phone.cpe.factoryReset();
    const boot = await session(phone);
    expect(boot.events).toContain('0 BOOTSTRAP');
    expect(boot.requests).toContain('Download');
    expect(onPhone(phone)).toMatchObject(ACCOUNT);

    // A second factory reset: the revision was applied, BOOTSTRAP sends it all the same (001 L301-312).
    phone.cpe.factoryReset();
    expect(onPhone(phone).User_ID_1_).not.toBe(ACCOUNT.User_ID_1_);
    expect((await session(phone)).requests).toContain('Download');
    expect(onPhone(phone)).toMatchObject(ACCOUNT);
  });

  it('a device with neither a profile nor parameters of its own is left alone at BOOTSTRAP', async () => {
    const phone = fleet.device(2);
    expect((await session(phone)).requests).toEqual([]);
    expect(await provisioningDownloads(phone.deviceId)).toEqual([]);
  });
});
