import type { Locator } from 'playwright-core';
import type { Fleet, FleetDevice } from '../../src/sim';
import { scanKeys } from '../../src/stores/redis';
import { redisKeys } from '../../src/stores/redis-keys';
import { TaskRepository } from '../../src/tasks/repository';
import type { TestAcs } from '../support/acs';
import { screenshot } from '../support/browser';
import { chromiumForFile, createUsers, goTo, openConsole, pageCheck, signedInTab, signInAs, startAcsWithPhones, statusFromPage, submitSignIn } from '../support/console-e2e';
import { seedDevices } from '../support/seed';

/**
 * The operator console in a real headless Chromium against the ACS on real stores, with
 * simulated phones that answer connection requests: what an operator and a viewer see and do.
 */
jest.setTimeout(240_000);

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
let acs: TestAcs;
let fleet: Fleet;
let phone: FleetDevice;
const browser = chromiumForFile();

beforeAll(async () => {
  ({ acs, fleet } = await startAcsWithPhones(3, 'CON'));
  phone = fleet.devices[1]!;
  // the whole tree with its writability and values (the MAC among them), as an earlier refresh leaves it
  const tasks = new TaskRepository(acs.stores.db);
  await tasks.queue(phone.deviceId, { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: false });
  await tasks.queue(phone.deviceId, { method: 'GetParameterValues', parameterNames: ['Device.'] });
  expect(await phone.runSession()).toMatchObject({ ok: true, acsRequests: ['GetParameterNames', 'GetParameterValues'] });
  await createUsers(acs, { olivia: 'operator', victor: 'viewer' });
});

afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

/** A fresh browser context (own cookies) signed in as `name`, on the overview; page errors fail the test. */
const signedIn = (name: string) => signedInTab(browser(), acs.apiUrl, name);

/** Polls (bounded) until the table shows exactly one row, holding `text`. */
async function onlyRowIs(rows: Locator, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const count = await rows.count();
    const first = count === 1 ? await rows.first().textContent() : '';
    if (count === 1 && first?.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`expected one row with ${text}, saw ${count}: ${first ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const auditCount = (action: string) => acs.stores.db.collection('audit').countDocuments({ action });

/** Colon-free, dashed upper-case: another notation than the one the phone reports. */
const dashedMac = (mac: string) => mac.toUpperCase().match(/../g)!.join('-');

it('refuses a wrong password, says so, and counts it', async () => {
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await page.getByRole('heading', { name: 'Sign in to the ACS console' }).waitFor();
  expect(await pageCheck(page, 'sign-in')).toEqual([]);
  const before = await auditCount('session.login_failed');
  await submitSignIn(page, 'olivia', 'not-the-password');
  await expect(page.getByRole('alert').textContent()).resolves.toMatch(/wrong user name or password/i);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  expect(await auditCount('session.login_failed')).toBe(before + 1);
  await screenshot(page, 'sign-in-refused');
  expect(errors).toEqual([]);
});

it('an operator finds a phone by MAC, refreshes a parameter, reboots it and sees it come back', async () => {
  const { page, errors } = await signedIn('olivia');
  await page.getByText('Devices in total').waitFor();
  expect(await pageCheck(page, 'overview')).toEqual([]);

  await goTo(page, 'Devices');
  await page.getByLabel('Search devices').fill(dashedMac(phone.model.factory.macAddress));
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByRole('table', { name: 'Devices' }).locator('tbody tr');
  await onlyRowIs(rows, phone.serialNumber);

  // select and tag it; the tag then finds it
  await page.getByRole('checkbox', { name: `Select ${phone.deviceId}` }).check();
  await page.getByLabel('Tag', { exact: true }).fill('e2e-lobby');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByText('Tag e2e-lobby added to 1 device.').waitFor();
  await rows.first().locator('td', { hasText: 'e2e-lobby' }).waitFor();
  await page.getByLabel('Search devices').fill('tag:e2e-lobby');
  await page.getByRole('button', { name: 'Search' }).click();
  await onlyRowIs(rows, phone.serialNumber);
  expect(await pageCheck(page, 'devices')).toEqual([]);

  await rows.first().getByRole('link').click();
  await page.getByRole('heading', { name: 'Identity and status' }).waitFor();
  await page.getByText('Live: changes show as they happen.').waitFor();

  // The phone's value changes (to something hostile); a refresh brings it in, as text.
  phone.model.set('Device.DeviceInfo.ProvisioningCode', HOSTILE);
  await page.getByLabel('Filter parameters').fill('ProvisioningCode');
  await page.getByRole('button', { name: 'Refresh Device.DeviceInfo.ProvisioningCode' }).click();
  await page.locator('.pvalue', { hasText: HOSTILE }).waitFor({ timeout: 30_000 });
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
  expect(await page.locator('#params-heading ~ ul img').count()).toBe(0);
  await page.locator('#tasks-heading ~ table tr[data-status="done"]', { hasText: 'GetParameterValues Device.DeviceInfo.ProvisioningCode' }).waitFor();

  // edit a writable value: SetParameterValues reaches the phone
  await page.getByLabel('Filter parameters').fill('PeriodicInformInterval');
  await page.getByRole('button', { name: 'Edit Device.ManagementServer.PeriodicInformInterval' }).click();
  await page.getByLabel('New value of Device.ManagementServer.PeriodicInformInterval').fill('1234');
  await screenshot(page, 'device-edit');
  await page.getByRole('button', { name: 'Set value' }).click();
  await page.locator('#tasks-heading ~ table tr[data-status="done"]', { hasText: 'SetParameterValues' }).waitFor({ timeout: 30_000 });
  expect(phone.model.get('Device.ManagementServer.PeriodicInformInterval')).toBe(1234);
  await page.getByLabel('Filter parameters').fill('');

  const rebooted = phone.nextSession((o) => o.events.includes('1 BOOT'));
  await page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Reboot' }).click();
  const dialog = page.getByRole('dialog', { name: `Reboot ${phone.deviceId}?` });
  await dialog.waitFor();
  await screenshot(page, 'device-reboot-confirm');
  await dialog.getByRole('button', { name: 'Reboot' }).click();
  await page.locator('#tasks-heading ~ table tr[data-status="done"]', { hasText: 'Reboot' }).waitFor({ timeout: 30_000 });
  await rebooted;
  // the boot session after the reboot shows up without reloading
  await page.locator('.facts dd', { hasText: 'M Reboot' }).waitFor({ timeout: 30_000 });
  await page.locator('#sessions-heading ~ ol li', { hasText: 'M Reboot' }).first().waitFor({ timeout: 30_000 });
  expect(await pageCheck(page, 'device')).toEqual([]);
  expect(errors).toEqual([]);
});

it('a viewer sees no buttons it cannot use, and the server refuses them anyway', async () => {
  const { page, errors } = await signedIn('victor');
  await page.goto(`${acs.apiUrl}/devices/${encodeURIComponent(phone.deviceId)}`);
  await page.getByRole('heading', { name: 'Identity and status' }).waitFor();
  await page.getByRole('list', { name: 'Parameter tree' }).waitFor();
  for (const name of ['Reboot', 'Factory reset', 'Wake now', 'Push configuration', 'Refresh', 'Edit', 'Cancel', 'Retry', 'Clear']) {
    expect(await page.getByRole('button', { name, exact: false }).count()).toBe(0);
  }
  expect(await page.getByRole('region', { name: 'Actions' }).count()).toBe(0);
  expect(await pageCheck(page, 'device-viewer')).toEqual([]);

  await page.goto(`${acs.apiUrl}/devices`);
  await page.getByRole('table', { name: 'Devices' }).locator('tbody tr').first().waitFor();
  expect(await page.getByRole('button', { name: 'Add tag' }).count()).toBe(0);
  expect(await page.getByRole('checkbox').count()).toBe(0);

  expect(await statusFromPage(page, 'POST', `/devices/${encodeURIComponent(phone.deviceId)}/tasks`, { rpc: { method: 'Reboot' } })).toBe(403);
  expect(errors).toEqual([]);
});

it('shows a device whose serial number is HTML, and a huge parameter tree, as text and page by page', async () => {
  const serialNumber = `<b>X</b><img src=x onerror="window.__pwned=3">`;
  const huge = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`Device.X_HUGE.${i + 1}.Value`, `v${i + 1}${i === 7 ? HOSTILE : ''}`]));
  await seedDevices(acs.stores.db, [{ serialNumber, params: huge }], 1000, { search: true });
  const { page, errors } = await signedIn('olivia');
  await page.goto(`${acs.apiUrl}/devices?q=${encodeURIComponent('<b>X')}`);
  const rows = page.getByRole('table', { name: 'Devices' }).locator('tbody tr');
  await onlyRowIs(rows, serialNumber);
  expect(await rows.first().locator('b, img').count()).toBe(0);
  await screenshot(page, 'devices-hostile');

  await rows.first().getByRole('link').click();
  await page.getByRole('heading', { name: 'Identity and status' }).waitFor();
  await page.getByText(serialNumber).first().waitFor();
  await page.getByRole('button', { name: 'Device.X_HUGE.', exact: true }).click();
  // 3,000 instances: the first 200 shown, the rest a click away
  const huge200 = page.getByRole('button', { name: 'Show more (2800 left)' });
  await huge200.waitFor();
  expect(await page.getByRole('button', { name: /^Device\.X_HUGE\.\d+\.$/ }).count()).toBe(200);
  await huge200.click();
  await page.getByRole('button', { name: 'Show more (2600 left)' }).waitFor();
  await page.getByRole('button', { name: 'Device.X_HUGE.8.', exact: true }).click();
  await page.locator('.pvalue', { hasText: HOSTILE }).waitFor();
  expect(await page.locator('main img, main script:not([src])').count()).toBe(0);
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
  expect(await pageCheck(page, 'device-huge-tree')).toEqual([]);
  expect(errors).toEqual([]);
});

it('an expired session sends the operator back to sign-in, saying why', async () => {
  const { page, errors } = await signedIn('olivia');
  await page.getByText('Devices in total').waitFor();
  // the sessions' idle expiry passes: Redis drops their keys
  const keys = await scanKeys(acs.ctx.redis, redisKeys(acs.ctx.config.redisPrefix).console.session('*'), 1000);
  expect(keys.length).toBeGreaterThan(0);
  await acs.ctx.redis.del(...keys);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
  await page.getByText('Your session ended; sign in again.').waitFor();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  expect(await pageCheck(page, 'sign-in-expired')).toEqual([]);
  // signing in again lands where the operator was going
  await signInAs(page, 'olivia');
  await page.getByRole('table', { name: 'Devices' }).waitFor();
  expect(errors).toEqual([]);
});
