import type { Page } from 'playwright-core';
import { FileStore } from '../../src/files';
import { Fleet, type FleetDevice } from '../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../support/acs';
import { chromiumForFile, createUsers, goTo, openConsole, pageCheck, signInAs, statusFromPage } from '../support/console-e2e';

/**
 * The console's firmware page in a real headless Chromium, against the ACS on real stores and
 * simulated phones whose downloads all fail: an admin sets a policy (a refusal first, shown on
 * the field), the first wave's failures pause the rollout on the page without a reload, an
 * operator resumes and aborts it, a viewer only looks.
 */
jest.setTimeout(240_000);

const PC = 'CP-8851-3PCC';
const START = 'sip88xx.12-0-1MPP-2';
const TARGET = 'sip88xx.12-0-3MPP-1';
const ABOVE_TARGET = 'sip88xx.12-5-1MPP-1';

let acs: TestAcs;
let fleet: Fleet;
const browser = chromiumForFile();

beforeAll(async () => {
  // snapshots every 2 s, so the versions chart has points within the test
  acs = await startTestAcs({ ACS_VERSION_SNAPSHOT_INTERVAL: '2' }, { roles: ['cwmp', 'api', 'worker', 'fs'] });
  await new FileStore(acs.stores.db, acs.ctx.config.fs.maxFileBytes).upload(
    (async function* () {
      yield Buffer.alloc(4096, 7);
    })(),
    { filename: `${TARGET}.loads`, kind: 'firmware', productClasses: [PC] },
  );
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 4, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'FWC', retry: false, failDownloads: true });
  await fleet.start();
  for (const d of fleet.devices) expect(await d.runSession()).toMatchObject({ ok: true });
  await createUsers(acs, { ada: 'admin', olivia: 'operator', victor: 'viewer' });
});

afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

/** A session that gets a Download, and the session after it reporting the (failed) transfer. */
async function failUpgrade(d: FleetDevice): Promise<void> {
  const reported = d.nextSession((o) => o.transferCompletes > 0, 30_000);
  expect((await d.runSession()).acsRequests).toEqual(['Download']);
  await reported;
}

const rollout = (page: Page) => page.getByRole('region', { name: new RegExp(`^${PC}`) });

it('an admin sets a policy, sees a refusal on its field, and watches the first wave fail and pause the rollout', async () => {
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await signInAs(page, 'ada');
  await goTo(page, 'Firmware');
  await page.getByText('No firmware policy yet').waitFor();
  await page.getByRole('button', { name: 'New policy' }).click();
  const form = page.getByRole('form', { name: 'New firmware policy' });
  await form.getByLabel('Product class', { exact: true }).fill(PC);
  await form.getByLabel('Target load', { exact: true }).fill(TARGET);
  await form.getByLabel('Stepping stones', { exact: true }).fill(ABOVE_TARGET);
  await form.getByLabel('Waves', { exact: true }).fill('50%, 100%');
  await form.getByLabel('Results a wave needs before its fault rate counts', { exact: true }).fill('2');
  await form.getByRole('button', { name: 'Save and start the rollout' }).click();

  // The API's refusal sits under the input it names, and what was typed is still there.
  const stagesError = form.locator('.field', { has: page.getByLabel('Stepping stones', { exact: true }) }).locator('.field-error');
  await stagesError.waitFor();
  expect(await stagesError.textContent()).toBe(`stage ${ABOVE_TARGET} is not below the target ${TARGET}`);
  expect(await form.getByLabel('Stepping stones', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  expect(await form.getByRole('alert').textContent()).toMatch(/one field needs attention/);
  expect(await form.getByLabel('Target load', { exact: true }).inputValue()).toBe(TARGET);
  expect(await form.getByLabel('Waves', { exact: true }).inputValue()).toBe('50%, 100%');
  expect(await pageCheck(page, 'firmware-refused')).toEqual([]);

  await form.getByLabel('Stepping stones', { exact: true }).fill('');
  await form.getByRole('button', { name: 'Save and start the rollout' }).click();
  await page.getByText(`Policy of ${PC} saved (revision 1); its rollout started with 4 devices to upgrade.`).waitFor();
  const card = rollout(page);
  await card.locator('.badge', { hasText: 'running' }).waitFor();
  expect(await card.locator('tr[data-wave="1"] th').textContent()).toBe('1: up to 50 % (current)');

  // Both phones of the first wave (half of four) fail their download: the rollout pauses by itself.
  await failUpgrade(fleet.device(0));
  await failUpgrade(fleet.device(1));
  await card.locator('.badge', { hasText: 'paused' }).waitFor({ timeout: 30_000 });
  await card.getByText('wave 1: 2 of 2 upgrades failed, above the threshold of 20 %').waitFor();
  const wave1 = card.locator('tr[data-wave="1"] td');
  expect(await wave1.allTextContents()).toEqual(['2', '', '2', '0', '2', '100 %']);
  expect(await card.locator('tr[data-wave="1"] progress').getAttribute('value')).toBe('100');
  // paused: the next phone gets no Download
  expect((await fleet.device(2).runSession()).acsRequests).toEqual([]);
  expect(fleet.device(2).model.get('Device.DeviceInfo.SoftwareVersion')).toBe(START);

  // the worker's snapshots: every phone still on its old load
  const history = page.getByRole('region', { name: 'Software versions over time' });
  const latest = history.locator('tbody tr', { has: page.getByRole('rowheader', { name: START }) }).locator('td:last-child');
  await latest.filter({ hasText: /^4$/ }).waitFor({ timeout: 30_000 });
  expect(await pageCheck(page, 'firmware-paused')).toEqual([]);
  expect(errors).toEqual([]);
});

it('an operator pauses, resumes, opens the next wave and aborts the rollout; the policy form stays the admin\'s', async () => {
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await signInAs(page, 'olivia');
  await goTo(page, 'Firmware');
  const card = rollout(page);
  await card.locator('.badge', { hasText: 'paused' }).waitFor();
  expect(await page.getByRole('button', { name: 'New policy' }).count()).toBe(0);
  expect(await card.getByRole('button', { name: 'Edit policy' }).count()).toBe(0);

  await card.getByRole('button', { name: 'Resume' }).click();
  await card.locator('.badge', { hasText: 'running' }).waitFor();
  await card.getByRole('button', { name: 'Pause' }).click();
  await card.getByText('paused by an operator').waitFor();
  expect((await fleet.device(2).runSession()).acsRequests).toEqual([]);
  await card.getByRole('button', { name: 'Resume' }).click();
  await card.locator('.badge', { hasText: 'running' }).waitFor();
  await card.getByRole('button', { name: 'Open the next wave' }).click();
  await card.locator('tr[data-wave="2"] th', { hasText: '(current)' }).waitFor();
  expect(await card.getByRole('button', { name: 'Open the next wave' }).count()).toBe(0);

  await card.getByRole('button', { name: 'Abort' }).click();
  const dialog = page.getByRole('dialog', { name: `Abort the ${PC} rollout?` });
  await dialog.waitFor();
  expect(await pageCheck(page, 'firmware-abort-confirm')).toEqual([]);
  await dialog.getByRole('button', { name: 'Abort the rollout' }).click();
  await card.locator('.badge', { hasText: 'aborted' }).waitFor();
  expect(await card.getByRole('button').count()).toBe(0);
  expect((await fleet.device(3).runSession()).acsRequests).toEqual([]);
  expect(errors).toEqual([]);
});

it('an admin edits the policy: the form holds what is stored, and saving starts a new rollout', async () => {
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await signInAs(page, 'ada');
  await goTo(page, 'Firmware');
  await rollout(page).getByRole('button', { name: 'Edit policy' }).click();
  const form = page.getByRole('form', { name: `Edit the policy of ${PC}` });
  expect(await form.getByLabel('Target load', { exact: true }).inputValue()).toBe(TARGET);
  expect(await form.getByLabel('Waves', { exact: true }).inputValue()).toBe('50%, 100%');
  expect(await form.getByLabel('Product class', { exact: true }).getAttribute('readonly')).not.toBeNull();
  // a shape the form itself refuses, before asking the API
  await form.getByLabel('Maintenance windows', { exact: true }).fill('at night');
  await form.getByRole('button', { name: 'Save and restart the rollout' }).click();
  await form.locator('.field-error', { hasText: '"at night" is not [days@]HH:MM-HH:MM' }).waitFor();
  await form.getByLabel('Maintenance windows', { exact: true }).fill('mon,tue@01:00-05:00');
  await form.getByRole('button', { name: 'Save and restart the rollout' }).click();
  await page.getByText(`Policy of ${PC} saved (revision 2)`, { exact: false }).waitFor();
  await rollout(page).getByText('windows: mon,tue 01:00-05:00').waitFor();
  expect(errors).toEqual([]);
});

it('a viewer sees the rollout and the chart but no button, and the server refuses the actions anyway', async () => {
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await signInAs(page, 'victor');
  await goTo(page, 'Firmware');
  await rollout(page).locator('.badge', { hasText: 'running' }).waitFor();
  await page.getByRole('region', { name: 'Software versions over time' }).locator('canvas').waitFor();
  expect(await page.locator('main').getByRole('button').count()).toBe(0);
  expect(await pageCheck(page, 'firmware-viewer')).toEqual([]);
  expect(await statusFromPage(page, 'POST', `/firmware/policies/${PC}/pause`)).toBe(403);
  expect(await statusFromPage(page, 'PUT', `/firmware/policies/${PC}`, { target: TARGET })).toBe(403);
  expect(errors).toEqual([]);
});
