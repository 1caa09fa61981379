import type { Page } from 'playwright-core';
import { request } from 'undici';
import type { TestAcs } from '../support/acs';
import { eventually } from '../support/api';
import { screenshot, SCREENSHOTS } from '../support/browser';
import { chromiumForFile, openConsole, pageCheck } from '../support/console-e2e';
import { startSsoAcs, type SsoAcs } from '../support/oidc';

/**
 * Single sign-on and the Administration page in a real headless Chromium: the browser goes
 * through a real OpenID Connect provider (`oidc-provider` on loopback) and back; an admin
 * manages users and tokens, filters the audit log and reads the health; a viewer sees none of it.
 */
jest.setTimeout(240_000);

let sso: SsoAcs;
let acs: TestAcs;
const browser = chromiumForFile();

beforeAll(async () => {
  sso = await startSsoAcs(
    {
      alice: { preferred_username: 'alice', groups: ['acs-admins'] },
      bob: { preferred_username: 'bob', groups: ['staff'] },
      carol: { preferred_username: 'carol', groups: ['marketing'] },
    },
    ['api'],
  );
  acs = sso.acs;
});

afterAll(async () => {
  await sso?.close();
});

/** From the console's sign-in page through the provider's login page and back. */
async function signInWithProvider(page: Page, account: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await page.waitForURL((url) => url.href.startsWith(sso.provider.issuer));
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.href.startsWith(acs.apiUrl));
}

it('an admin signs in through the provider, manages users and tokens, reads the audit log and the health', async () => {
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).waitFor();
  expect(await pageCheck(page, 'admin-01-sign-in-with-sso')).toEqual([]);
  await signInWithProvider(page, 'alice');
  await page.getByText('alice (admin)').waitFor();

  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
  await page.getByRole('cell', { name: 'api', exact: true }).or(page.getByRole('rowheader', { name: 'api', exact: true })).waitFor();
  expect(await pageCheck(page, 'admin-02-page')).toEqual([]);

  // a user: refused input keeps the form and names the field, then a good one
  const userForm = page.getByRole('form', { name: 'Create a user' });
  await userForm.getByLabel('Name').fill('bad name!');
  await userForm.getByLabel('Role').selectOption('operator');
  await userForm.getByRole('button', { name: 'Create user' }).click();
  await expectText(userForm, /name must match pattern/);
  expect(await userForm.getByLabel('Name').inputValue()).toBe('bad name!');
  await screenshot(page, 'admin-03-user-refused');
  await userForm.getByLabel('Name').fill('nina');
  await userForm.getByRole('button', { name: 'Create user' }).click();
  await page.getByText(/Password of nina, shown this once/).waitFor();
  await page.getByRole('rowheader', { name: 'nina' }).waitFor();
  expect(await page.getByRole('combobox', { name: 'Role of nina' }).inputValue()).toBe('operator');
  await page.getByRole('button', { name: 'Disable nina' }).click();
  await page.getByRole('button', { name: 'Enable nina' }).waitFor();

  // a token: the secret once, then revoked, and the API refuses it from then on
  const tokenForm = page.getByRole('form', { name: 'Create an API token' });
  await tokenForm.getByLabel('Token name').fill('ci-bot');
  await tokenForm.getByLabel('Role').selectOption('operator');
  await tokenForm.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByLabel('The new token').textContent())!;
  expect(secret).toMatch(/^acs_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  expect(await apiStatus(secret)).toBe(200);
  await screenshot(page, 'admin-04-token-created');
  await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
  expect(await pageCheck(page, 'admin-05-revoke-confirm')).toEqual([]);
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('row', { name: /ci-bot/ }).getByText('revoked').waitFor();
  expect(await apiStatus(secret)).toBe(401);

  // the audit log, filtered
  const filters = page.getByRole('form', { name: 'Filter the audit log' });
  await filters.getByLabel('Action').fill('token.revoke');
  await filters.getByRole('button', { name: 'Filter' }).click();
  const audit = page.getByRole('region', { name: 'Audit log' });
  await audit.getByRole('cell', { name: 'token.revoke' }).waitFor();
  await expectRows(audit, (cells) => cells.every((row) => row.includes('token.revoke')) && cells.length === 1);
  await filters.getByLabel('Action').fill('');
  await filters.getByLabel('Actor').fill('alice');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expectRows(audit, (cells) => cells.length >= 5 && cells.every((row) => row.includes('alice')));
  expect(await pageCheck(page, 'admin-06-audit-filtered')).toEqual([]);
  // an empty time range: the API's refusal shown next to the field
  await filters.getByLabel('From', { exact: true }).fill('2026-01-02T10:00:00');
  await filters.getByLabel('To', { exact: true }).fill('2026-01-01T10:00:00');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expectText(filters, /to must be after from/);

  // health: the api role runs and is ready
  const health = page.getByRole('region', { name: 'Health' });
  await expectRows(health, (rows) => rows.some((r) => /^api\s+1\s+ready/.test(r)));
  await health.screenshot({ path: `${SCREENSHOTS}/admin-07-health.png` });
  expect(errors).toEqual([]);
});

it('a viewer signed in through the provider sees no Administration link, and the page and API refuse', async () => {
  const { page, errors } = await openConsole(browser(), acs.apiUrl);
  await signInWithProvider(page, 'bob');
  await page.getByText('bob (viewer)').waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).not.toContain('Administration');
  await page.goto(`${acs.apiUrl}/admin`);
  await page.getByText('Only admins may see this page.').waitFor();
  expect(await page.evaluate(async () => (await fetch('/api/v1/users')).status)).toBe(403);
  expect(await pageCheck(page, 'admin-08-viewer-refused')).toEqual([]);
  expect(errors).toEqual([]);
});

it('someone the provider knows but the console maps to no role is told so on the sign-in page', async () => {
  const { page } = await openConsole(browser(), acs.apiUrl);
  await signInWithProvider(page, 'carol');
  await page.getByRole('alert').filter({ hasText: 'has no role in this console' }).waitFor();
  expect(new URL(page.url()).search).toBe('');
  expect(await pageCheck(page, 'admin-09-sso-no-role')).toEqual([]);
});

async function apiStatus(token: string): Promise<number> {
  const res = await request(`${acs.apiUrl}/api/v1/devices?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  await res.body.dump();
  return res.statusCode;
}

/** Polls (bounded) until the locator's text matches. */
async function expectText(where: ReturnType<Page['getByRole']>, pattern: RegExp): Promise<void> {
  await where.getByText(pattern).first().waitFor();
}

/** Waits (bounded) until the body rows of the region's first table satisfy `ok`; fails naming them if they never do. */
async function expectRows(region: ReturnType<Page['getByRole']>, ok: (rows: string[]) => boolean): Promise<void> {
  const read = async () => (await region.locator('table tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  const rows = await eventually(read, ok, 15_000, 200);
  if (!ok(rows)) throw new Error(`rows never matched: ${JSON.stringify(rows)}`);
}
