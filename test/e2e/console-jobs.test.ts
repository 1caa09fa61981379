import type { Page } from 'playwright-core';
import type { Fleet } from '../../src/sim';
import type { TestAcs } from '../support/acs';
import { screenshot } from '../support/browser';
import { chromiumForFile, createUsers, goTo, pageCheck, signedInTab, startAcsWithPhones, statusFromPage } from '../support/console-e2e';

/**
 * The console's jobs pages in a real headless Chromium against the ACS on real stores (cwmp,
 * api and worker roles), with simulated phones that answer connection requests: an operator
 * tags phones, starts a job on the tag and watches it finish; a viewer only watches.
 */
jest.setTimeout(240_000);

const TAG = 'e2e-jobs';
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';
let acs: TestAcs;
let fleet: Fleet;
const browser = chromiumForFile();

beforeAll(async () => {
  ({ acs, fleet } = await startAcsWithPhones(4, 'JOB'));
  await createUsers(acs, { olivia: 'operator', victor: 'viewer' });
});

afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

const signedIn = (name: string) => signedInTab(browser(), acs.apiUrl, name);

const jobs = () => acs.stores.db.collection('jobs');

/** The refusal shown under the input with this label, once it shows; the input points at it for screen readers. */
async function fieldError(page: Page, label: string): Promise<string> {
  const error = page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');
  await error.waitFor();
  expect((await page.getByLabel(label, { exact: true }).getAttribute('aria-describedby'))?.split(' ')).toContain(await error.getAttribute('id'));
  return (await error.textContent()) ?? '';
}

it('an operator tags three phones, previews and starts a job on the tag, and watches it reach 100 %', async () => {
  const tagged = fleet.devices.slice(0, 3);
  const { page, errors } = await signedIn('olivia');
  await goTo(page, 'Devices');
  const rows = page.getByRole('table', { name: 'Devices' }).locator('tbody tr');
  await rows.nth(fleet.devices.length - 1).waitFor();
  for (const d of tagged) await page.getByRole('checkbox', { name: `Select ${d.deviceId}` }).check();
  await page.getByLabel('Tag', { exact: true }).fill(TAG);
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByText(`Tag ${TAG} added to 3 devices.`).waitFor();

  // the job starts from the devices page's search
  await page.getByLabel('Search devices').fill(`tag:${TAG}`);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'New job on the devices of this search' }).click();
  await page.getByRole('heading', { name: 'New job' }).waitFor();
  expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe(TAG);

  // a second step: set the inform interval
  await page.getByLabel('Name (optional)').fill('interval push');
  await page.getByRole('button', { name: 'Add a step' }).click();
  await page.getByLabel('Step 2').selectOption('SetParameterValues');
  await page.locator('#step-1-names').fill(INTERVAL);
  await page.locator('#step-1-value').fill('1800');
  await page.locator('#step-1-type').selectOption('xsd:unsignedInt');

  await page.getByRole('button', { name: 'Preview the devices' }).click();
  await page.getByText('This job will touch 3 devices').waitFor();
  expect(await pageCheck(page, 'job-new-preview')).toEqual([]);

  // an invalid rate: the API's refusal sits on the rate field, and nothing typed is lost
  await page.getByLabel('Rate (devices released per second)').fill('0');
  await page.getByRole('button', { name: 'Start the job on 3 devices' }).click();
  expect(await fieldError(page, 'Rate (devices released per second)')).toContain('> 0');
  expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe(TAG);
  expect(await page.locator('#step-1-value').inputValue()).toBe('1800');
  expect(await page.getByLabel('Name (optional)').inputValue()).toBe('interval push');
  expect(await jobs().countDocuments()).toBe(0);
  expect(await pageCheck(page, 'job-new-refused')).toEqual([]);

  await page.getByLabel('Rate (devices released per second)').fill('20');
  await page.getByRole('button', { name: 'Start the job on 3 devices' }).click();
  await page.getByRole('heading', { name: 'Job interval push' }).waitFor();
  await page.getByText('Live: figures move as tasks finish.').waitFor();
  // no reload from here: the page follows the job as the phones answer
  await page.getByText('100 %').waitFor({ timeout: 60_000 });
  await page.locator('.facts dd', { hasText: /^done$/ }).waitFor({ timeout: 30_000 });
  const results = page.getByRole('table', { name: 'Results per device' }).locator('tbody tr[data-status="done"]');
  await results.nth(5).waitFor({ timeout: 30_000 });
  expect(await results.count()).toBe(6);
  for (const d of tagged) {
    expect(d.model.get(INTERVAL)).toBe(1800);
    expect(await page.getByRole('link', { name: d.deviceId }).count()).toBe(2);
  }
  expect(fleet.devices[3]!.model.get(INTERVAL)).not.toBe(1800);
  expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
  expect(await pageCheck(page, 'job')).toEqual([]);

  // the list shows it finished; a device link leads to the device page
  await goTo(page, 'Jobs');
  const row = page.getByRole('table', { name: 'Jobs' }).locator('tbody tr', { hasText: 'interval push' });
  await row.locator('td', { hasText: '100 %' }).waitFor();
  expect(await row.getAttribute('data-status')).toBe('done');
  expect(await pageCheck(page, 'jobs')).toEqual([]);
  await row.getByRole('link', { name: 'interval push' }).click();
  await page.getByRole('link', { name: tagged[0]!.deviceId }).first().click();
  await page.getByRole('heading', { name: 'Identity and status' }).waitFor();
  expect(errors).toEqual([]);
});

it('a job in waves pauses after each wave until resumed, then runs to the end', async () => {
  const { page, errors } = await signedIn('olivia');
  const listed = [fleet.devices[2]!, fleet.devices[3]!];
  await page.goto(`${acs.apiUrl}/devices`);
  await page.getByRole('table', { name: 'Devices' }).locator('tbody tr').nth(fleet.devices.length - 1).waitFor();
  for (const d of listed) await page.getByRole('checkbox', { name: `Select ${d.deviceId}` }).check();
  await page.getByRole('link', { name: 'New job on the 2 selected devices' }).click();
  expect((await page.getByLabel('Device ids, one a line').inputValue()).split('\n').sort()).toEqual(listed.map((d) => d.deviceId).sort());
  await page.getByLabel('Name (optional)').fill('in waves');
  // a wave that makes no sense is refused on the waves field
  await page.getByLabel('Waves (optional)').fill('100%, 1');
  await page.getByRole('button', { name: 'Preview the devices' }).click();
  await page.getByRole('button', { name: 'Start the job on 2 devices' }).click();
  expect(await fieldError(page, 'Waves (optional)')).toContain('100 % wave must be the last');
  expect(await page.getByLabel('Waves (optional)').inputValue()).toBe('100%, 1');
  await page.getByLabel('Waves (optional)').fill('1');
  await page.getByRole('button', { name: 'Start the job on 2 devices' }).click();
  await page.getByRole('heading', { name: 'Job in waves' }).waitFor();
  await page.locator('.facts dd', { hasText: /^paused$/ }).waitFor({ timeout: 60_000 });
  await page.getByText('1 of 2 released (pauses after 1 of 2 devices); Resume releases the next wave').waitFor();
  const done = page.getByRole('table', { name: 'Results per device' }).locator('tbody tr[data-status="done"]');
  await done.first().waitFor({ timeout: 30_000 });
  // the device of the next wave has no task yet: the page says so instead of listing it
  await page.getByText('1 device not released yet: its results appear here once released.').waitFor();
  await screenshot(page, 'jobs-wave-unreleased-note');
  expect(await page.getByRole('table', { name: 'Results per device' }).locator('tbody tr').count()).toBe(1);
  expect(await pageCheck(page, 'job-wave-paused')).toEqual([]);
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByText('100 %').waitFor({ timeout: 60_000 });
  await page.getByText('2 of 2 released').waitFor();
  expect(errors).toEqual([]);
});

it('a viewer sees the jobs but no create, pause or cancel control, and the server refuses them anyway', async () => {
  const job = await jobs().findOne({ name: 'interval push' });
  expect(job).not.toBeNull();
  const { page, errors } = await signedIn('victor');
  await goTo(page, 'Jobs');
  await page.getByRole('table', { name: 'Jobs' }).locator('tbody tr', { hasText: 'interval push' }).waitFor();
  expect(await page.getByRole('link', { name: 'New job' }).count()).toBe(0);
  expect(await pageCheck(page, 'jobs-viewer')).toEqual([]);
  await page.getByRole('link', { name: 'interval push' }).click();
  await page.getByRole('table', { name: 'Results per device' }).locator('tbody tr').first().waitFor();
  for (const name of ['Pause', 'Resume', 'Cancel job']) expect(await page.getByRole('button', { name }).count()).toBe(0);
  await page.goto(`${acs.apiUrl}/devices`);
  await page.getByRole('table', { name: 'Devices' }).locator('tbody tr').first().waitFor();
  expect(await page.getByRole('link', { name: /New job/ }).count()).toBe(0);
  await page.goto(`${acs.apiUrl}/jobs/new`);
  await page.getByText('Your role may look at jobs but not start them.').waitFor();
  expect(await page.getByRole('button', { name: 'Preview the devices' }).count()).toBe(0);

  const statuses = [await statusFromPage(page, 'POST', `/jobs/${job!._id}/pause`, {}), await statusFromPage(page, 'POST', '/jobs', { rpcs: [{ method: 'Reboot' }], target: { tag: TAG } })];
  expect(statuses).toEqual([403, 403]);
  expect(errors).toEqual([]);
});
