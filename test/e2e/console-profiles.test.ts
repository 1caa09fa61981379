import { MappingOverrideStore } from '../../src/provisioning';
import { Fleet, type FleetDevice } from '../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../support/acs';
import { apiClient, enc, type ApiClient } from '../support/api';
import { screenshot } from '../support/browser';
import { chromiumForFile, createUsers, goTo, pageCheck, signedInTab, statusFromPage } from '../support/console-e2e';

/**
 * The console's profile pages in a real headless Chromium against the ACS on real stores, with
 * simulated phones: an operator writes a profile (the API's refusal shows on the field), the
 * phones converge on it, a Cisco XML file is imported, two revisions are compared and one is
 * restored, a conflict shows the devices it touches; a viewer sees no edit controls.
 */
jest.setTimeout(240_000);

const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';
const TAG = 'e2e-floor';
const FLAT_PROFILE = `<?xml version="1.0" encoding="US-ASCII"?>
<flat-profile>
  <Station_Name ua="na">Reception</Station_Name>
  <Primary_NTP_Server>ntp.example.org</Primary_NTP_Server>
  <Resync_Periodic/>
</flat-profile>
`;
let acs: TestAcs;
let api: ApiClient;
let fleet: Fleet;
let phones: FleetDevice[];
const browser = chromiumForFile();

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['cwmp', 'api'] });
  api = apiClient(acs, await acs.token('operator', 'setup'));
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 3, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'CPR', retry: false });
  await fleet.start();
  for (const d of fleet.devices) expect(await d.runSession()).toMatchObject({ ok: true });
  phones = fleet.devices.slice(0, 2);
  for (const d of phones) expect((await api.put(`/devices/${enc(d.deviceId)}/tags/${TAG}`)).status).toBe(204);
  // the interval travels by SetParameterValues on this product class (as a confirmed mapping would have it)
  const productClass = String(phones[0]!.model.get('Device.DeviceInfo.ProductClass'));
  await new MappingOverrideStore(acs.stores.db).replace(productClass, { Periodic_Inform_Interval: INTERVAL });
  await createUsers(acs, { olivia: 'operator', victor: 'viewer' });
});

afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

const signedIn = (name: string) => signedInTab(browser(), acs.apiUrl, name);

/** Every tagged phone runs a session; what the ACS asked of each. */
async function converge(): Promise<string[][]> {
  const requests: string[][] = [];
  for (const phone of phones) {
    const outcome = await phone.runSession();
    expect(outcome.ok).toBe(true);
    requests.push(outcome.acsRequests);
  }
  return requests;
}

const intervals = () => phones.map((p) => p.model.get(INTERVAL));

it('an operator writes a profile, sees the API refuse a value on its field, fixes it, and the phones converge', async () => {
  const { page, errors } = await signedIn('olivia');
  await goTo(page, 'Profiles');
  await page.getByText('No profiles yet.').waitFor();
  await page.getByRole('link', { name: 'New profile' }).click();
  await page.getByRole('heading', { name: 'New profile', level: 1 }).waitFor();

  await page.getByLabel('Name', { exact: true }).fill('floor');
  await page.getByLabel('Precedence').fill('10');
  await page.getByLabel('Tags (all of them)').fill(TAG);
  await page.getByText('Matches 2 devices').waitFor();
  for (const phone of phones) await page.locator('.devices-matched a', { hasText: phone.deviceId }).waitFor();

  await page.getByRole('button', { name: 'Add parameter' }).click();
  // the catalogue at hand: typing part of a label offers XML names
  const name = page.getByLabel('Name of parameter 1');
  await name.fill('Periodic_Inform');
  await page.locator('#catalogue-names option[value="Periodic_Inform_Interval"]').waitFor({ state: 'attached' });
  await name.fill('Periodic_Inform_Interval');
  await page.getByText(/Periodic_Inform_Interval \(Periodic Inform Interval\): Uns32 · TR-069 Device\.ManagementServer\.PeriodicInformInterval/).waitFor();
  const value = page.getByLabel('Value of Periodic_Inform_Interval', { exact: true });
  await value.fill('soon');
  // the API's own check, shown on the field before saving
  const fieldError = page.locator('tr[data-parameter="Periodic_Inform_Interval"] .field-error');
  await fieldError.filter({ hasText: 'Uns32 "soon" is not a decimal or 0x hex integer' }).waitFor();
  expect(await value.getAttribute('aria-invalid')).toBe('true');
  expect((await value.getAttribute('aria-describedby'))?.split(' ')).toContain(await fieldError.getAttribute('id'));
  expect(await pageCheck(page, 'profile-new-invalid')).toEqual([]);

  // saving anyway: refused, said on the field, and nothing typed is lost
  await page.getByRole('button', { name: 'Create profile' }).click();
  await fieldError.filter({ hasText: 'Uns32 "soon"' }).waitFor();
  expect(await value.inputValue()).toBe('soon');
  expect(await page.getByLabel('Tags (all of them)').inputValue()).toBe(TAG);
  expect((await api.get('/profiles/floor')).status).toBe(404);

  await value.fill('900');
  await page.getByText('The API accepts this profile.').waitFor();
  expect(await fieldError.count()).toBe(0);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.getByRole('heading', { name: 'Profile floor' }).waitFor();
  await page.locator('.facts dd', { hasText: 'tags e2e-floor' }).waitFor();
  expect(await pageCheck(page, 'profile')).toEqual([]);

  // the phones' next sessions bring the value (read first, then set); their state says so
  for (const requests of await converge()) expect(requests).toEqual(['GetParameterValues', 'SetParameterValues']);
  expect(intervals()).toEqual([900, 900]);
  for (const phone of phones) {
    const view = (await api.get(`/devices/${enc(phone.deviceId)}/provisioning`)).body;
    expect(view).toMatchObject({ managed: true, upToDate: true, profiles: [{ name: 'floor', revision: 1 }] });
  }
  await page.goto(`${acs.apiUrl}/devices/${enc(phones[0]!.deviceId)}`);
  await page.getByText('Managed by floor r1; the device is up to date.').waitFor();
  expect(errors).toEqual([]);
});

it('imports a Cisco flat-profile file: its parameters show before saving; an unreadable one is refused on the field', async () => {
  const { page, errors } = await signedIn('olivia');
  await page.goto(`${acs.apiUrl}/profiles/new`);
  await page.getByLabel('Name', { exact: true }).fill('reception');
  await page.getByLabel('Precedence').fill('5');
  // a selector the API refuses: said next to the input it names
  await page.getByLabel('MAC addresses').fill('not-a-mac');
  await page.locator('#match-macs-error', { hasText: 'match.macs: "not-a-mac" is not valid' }).waitFor();
  expect(await page.getByLabel('MAC addresses').getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('MAC addresses').fill('');
  await page.getByLabel('Serial numbers').fill('NOT-A-PHONE-HERE');
  await page.getByText('Matches 0 devices').waitFor();
  expect(await page.locator('#match-macs-error').count()).toBe(0);

  const file = page.getByLabel('Import a Cisco XML file');
  await file.setInputFiles({ name: 'broken.xml', mimeType: 'text/xml', buffer: Buffer.from('<flat-profile><Station_Name>') });
  await page.locator('#profile-import-error', { hasText: 'broken.xml: the XML profile cannot be read' }).waitFor();
  expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('reception');

  await file.setInputFiles({ name: 'reception.xml', mimeType: 'text/xml', buffer: Buffer.from(FLAT_PROFILE) });
  await page.getByText('3 parameters read from reception.xml; check them, then save.').waitFor();
  expect(await page.locator('#profile-import-error').count()).toBe(0);
  expect(await page.getByLabel('Value of Station_Name', { exact: true }).inputValue()).toBe('Reception');
  expect(await page.getByLabel('ua of Station_Name').inputValue()).toBe('na');
  expect(await page.getByLabel('Phone keeps its own Resync_Periodic').isChecked()).toBe(true);
  await page.getByText('The API accepts this profile.').waitFor();
  expect((await api.get('/profiles/reception')).status).toBe(404);
  expect(await pageCheck(page, 'profile-import')).toEqual([]);

  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.getByRole('heading', { name: 'Profile reception' }).waitFor();
  const stored = (await api.get('/profiles/reception')).body;
  expect(stored.parameters).toEqual([{ name: 'Station_Name', value: 'Reception', ua: 'na' }, { name: 'Primary_NTP_Server', value: 'ntp.example.org' }, { name: 'Resync_Periodic', value: '', keep: true }]);
  expect(errors).toEqual([]);
});

it('compares two revisions side by side and restores the earlier one; the phones follow', async () => {
  const { page, errors } = await signedIn('olivia');
  await page.goto(`${acs.apiUrl}/profiles/floor`);
  await page.getByRole('heading', { name: 'Edit (revision 1)' }).waitFor();
  await page.getByLabel('Value of Periodic_Inform_Interval', { exact: true }).fill('1200');
  await page.getByText('The API accepts this profile.').waitFor();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Saved as revision 2.').waitFor();
  await page.getByRole('heading', { name: 'Edit (revision 2)' }).waitFor();
  expect(await converge()).toEqual([['SetParameterValues'], ['SetParameterValues']]);
  expect(intervals()).toEqual([1200, 1200]);

  const diff = page.getByRole('table', { name: 'Revision 1 and revision 2, side by side' });
  const changed = diff.locator('tr[data-status="changed"]');
  await changed.first().waitFor();
  expect(await changed.count()).toBe(1);
  expect((await changed.locator('th, td').allTextContents()).map((t) => t.trim())).toEqual(['Periodic_Inform_Interval', '900', '1200', 'changed']);
  expect(await pageCheck(page, 'profile-revisions')).toEqual([]);

  await page.getByRole('button', { name: 'Restore revision 1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore revision 1 of floor?' });
  await dialog.waitFor();
  await screenshot(page, 'profile-restore-confirm');
  await dialog.getByRole('button', { name: 'Restore revision 1' }).click();
  await page.getByText('Revision 1 restored as revision 3.').waitFor();
  await page.getByRole('heading', { name: 'Edit (revision 3)' }).waitFor();
  expect(await page.getByLabel('Value of Periodic_Inform_Interval', { exact: true }).inputValue()).toBe('900');
  expect((await api.get('/profiles/floor')).body).toMatchObject({ revision: 3, parameters: [{ name: 'Periodic_Inform_Interval', value: '900' }] });
  expect(await converge()).toEqual([['SetParameterValues'], ['SetParameterValues']]);
  expect(intervals()).toEqual([900, 900]);
  expect(errors).toEqual([]);
});

it('lists a conflict with the devices it affects', async () => {
  expect((await api.post('/profiles', { name: 'floor-rival', precedence: 10, match: { tags: [TAG] }, parameters: [{ name: 'Periodic_Inform_Interval', value: '600' }] })).status).toBe(201);
  const { page, errors } = await signedIn('olivia');
  await goTo(page, 'Profiles');
  const conflicts = page.getByRole('region', { name: 'Conflicts' }).locator('tbody tr');
  await conflicts.first().waitFor();
  expect(await conflicts.count()).toBe(1);
  const row = (await conflicts.first().locator('td').allTextContents()).map((t) => t.trim());
  expect(row.slice(0, 3)).toEqual(['Periodic_Inform_Interval', '10', 'floor and floor-rival']);
  expect(row[3]).toMatch(/^2: /);
  for (const phone of phones) expect(row[3]).toContain(phone.deviceId);
  await page.getByRole('table', { name: 'Profiles' }).locator('tbody tr').nth(2).waitFor();
  expect(await pageCheck(page, 'profiles')).toEqual([]);
  expect((await api.delete('/profiles/floor-rival')).status).toBe(204);
  expect(errors).toEqual([]);
});

it('a viewer sees the profile, but no control to change it, and the server refuses anyway', async () => {
  const { page, errors } = await signedIn('victor');
  await goTo(page, 'Profiles');
  await page.getByRole('table', { name: 'Profiles' }).locator('tbody tr').first().waitFor();
  expect(await page.getByRole('link', { name: 'New profile' }).count()).toBe(0);
  await page.getByRole('link', { name: 'floor', exact: true }).click();
  await page.getByRole('heading', { name: 'Profile floor' }).waitFor();
  await page.getByRole('table', { name: 'Desired parameters' }).getByText('Periodic_Inform_Interval').waitFor();
  await page.getByText('Matches 2 devices').waitFor();
  await page.getByRole('heading', { name: 'Revisions' }).waitFor();
  await page.getByRole('table', { name: 'Revision 2 and revision 3, side by side' }).waitFor();
  for (const name of ['Save profile', 'Create profile', 'Add parameter', 'Remove', 'Restore']) expect(await page.getByRole('button', { name, exact: false }).count()).toBe(0);
  expect(await page.getByRole('textbox').count()).toBe(0);
  expect(await pageCheck(page, 'profile-viewer')).toEqual([]);

  expect(await statusFromPage(page, 'POST', '/profiles/floor/revisions/2/restore', {})).toBe(403);
  expect(errors).toEqual([]);
});
