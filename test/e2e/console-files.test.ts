import { createHash, randomBytes } from 'node:crypto';
import { Fleet, type FleetDevice } from '../../src/sim';
import { freePort } from '../../tools/local-stores/process';
import { apiClient, eventually } from '../support/api';
import { TestPki } from '../support/certs';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../support/acs';
import { chromiumForFile, createUsers, goTo, openConsole, pageCheck, signInAs, statusFromPage } from '../support/console-e2e';

/**
 * The console's files page in a real headless Chromium against the ACS on real stores: an
 * upload refused on its field and then stored, with its progress and the checksum the
 * browser computed beside the server's; a simulated phone downloading it shows in the log;
 * the file deleted; a viewer only looks.
 */
jest.setTimeout(240_000);

const PC = 'CP-8851-3PCC';
const VERSION = 'sip88xx.12-0-3MPP-1';
// large enough that a throttled upload reports progress on the way
const IMAGE = randomBytes(3 * 1024 * 1024);
const IMAGE_SHA = createHash('sha256').update(IMAGE).digest('hex');

let acs: TestAcs;
let fleet: Fleet;
let phone: FleetDevice;
const browser = chromiumForFile();

beforeAll(async () => {
  // the download URLs the ACS hands out must point at this fs role
  const fsPort = await freePort();
  acs = await startTestAcs({ ACS_FS_PORT: String(fsPort), ACS_PUBLIC_FS_URL: `http://127.0.0.1:${fsPort}` }, { roles: ['cwmp', 'api', 'fs'] });
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 1, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'FIL', retry: false });
  await fleet.start();
  phone = fleet.device(0);
  expect(await phone.runSession()).toMatchObject({ ok: true });
  await createUsers(acs, { olivia: 'operator', victor: 'viewer' });
});

afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

/** Polls (bounded) until `read` returns a value `ok` accepts; returns every value seen. */

it('an operator uploads firmware: a refusal on its field first, then progress and matching checksums; a phone downloads it; the file is deleted', async () => {
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await signInAs(page, 'olivia');
  await goTo(page, 'Files');
  const form = page.getByRole('form', { name: 'Upload a file' });
  await page.getByText('No file stored.').waitFor();

  // A firmware image whose name says no version, and none typed: refused, on the Version input.
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'image.bin', mimeType: 'application/octet-stream', buffer: IMAGE });
  await form.getByLabel('Product classes', { exact: true }).fill(PC);
  await form.getByRole('button', { name: 'Upload' }).click();
  const versionError = form.locator('.field', { has: page.getByLabel('Version', { exact: true }) }).locator('.field-error');
  await versionError.waitFor();
  expect(await versionError.textContent()).toMatch(/firmware image\.bin needs a version/);
  expect(await form.getByLabel('Version', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  expect(await form.getByLabel('Product classes', { exact: true }).inputValue()).toBe(PC);
  expect(await pageCheck(page, 'files-refused')).toEqual([]);

  // Slow the upload down (DevTools network throttling), so its progress is seen between 0 and 100 %.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  await form.getByLabel('Version', { exact: true }).fill(VERSION);
  await form.getByRole('button', { name: 'Upload' }).click();
  const bar = form.getByRole('progressbar', { name: 'Upload progress' });
  const values: number[] = [];
  const last = await eventually(
    async () => {
      const v = (await bar.count()) ? Number(await bar.first().getAttribute('value').catch(() => null)) : -1;
      values.push(v);
      return v;
    },
    (v) => v === 100,
    30_000,
    50,
  );
  expect(last).toBe(100);
  expect(values.some((v) => v > 0 && v < 100)).toBe(true);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  const stored = form.locator('.stored');
  await stored.getByText('The checksums match: the server stored exactly the file chosen.').waitFor();
  expect(await stored.locator('dd').allTextContents()).toEqual([IMAGE_SHA, IMAGE_SHA]);
  const row = page.getByRole('table', { name: 'Stored files' }).locator('tbody tr', { hasText: 'image.bin' });
  await row.waitFor();
  expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['image.bin', 'firmware', VERSION, PC, '3.0 MiB', IMAGE_SHA]));
  expect(await pageCheck(page, 'files-uploaded')).toEqual([]);

  // A phone fetches it from the file service: the download log names the phone.
  const fileId = (await apiClient(acs, await acs.token('operator')).get('/files?kind=firmware')).body.items[0].id as string;
  const queued = await apiClient(acs, await acs.token('operator')).post(`/devices/${encodeURIComponent(phone.deviceId)}/cisco/downloads`, { kind: 'firmware', fileId });
  expect(queued.status).toBe(201);
  const reported = phone.nextSession((o) => o.transferCompletes > 0, 30_000);
  expect((await phone.runSession()).acsRequests).toEqual(['Download']);
  expect(await reported).toMatchObject({ ok: true, transferCompletes: 1 });
  await page.getByRole('button', { name: 'Downloads of image.bin' }).click();
  const log = page.getByRole('region', { name: 'Downloads of image.bin' });
  await log.locator('tbody tr', { hasText: phone.deviceId }).waitFor({ timeout: 30_000 });
  expect(await log.locator('tbody tr', { hasText: phone.deviceId }).first().locator('td').nth(2).textContent()).toBe('complete');
  await log.getByRole('link', { name: phone.deviceId }).waitFor();
  expect(await pageCheck(page, 'files-downloads')).toEqual([]);

  await row.getByRole('button', { name: 'Delete image.bin' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete image.bin?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('Deleted image.bin; download URLs made for it answer 404 from now on.').waitFor();
  await page.getByText('No file stored.').waitFor();
  expect((await apiClient(acs, await acs.token('viewer')).get(`/files/${fileId}`)).status).toBe(404);
  expect(errors).toEqual([]);
});

it('a viewer sees the files but cannot upload or delete, and the server refuses anyway', async () => {
  const kept = await apiClient(acs, await acs.token('operator')).call('POST', '/files?filename=ca-bundle.pem&kind=ca', { raw: new TestPki().caPem, headers: { 'content-type': 'application/octet-stream' } });
  expect(kept.status).toBe(201);
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await signInAs(page, 'victor');
  await goTo(page, 'Files');
  await page.getByRole('table', { name: 'Stored files' }).locator('tbody tr', { hasText: 'ca-bundle.pem' }).waitFor();
  expect(await page.getByRole('form', { name: 'Upload a file' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
  expect(await pageCheck(page, 'files-viewer')).toEqual([]);
  expect(await statusFromPage(page, 'DELETE', `/files/${kept.body.id}`)).toBe(403);
  expect(errors).toEqual([]);
});
