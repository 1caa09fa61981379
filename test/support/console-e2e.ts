import type { Browser, Page } from 'playwright-core';
import type { ApiRole } from '../../src/auth';
import { Fleet } from '../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from './acs';
import { axe, ensureConsoleBuilt, launchBrowser, screenshot, seriousViolations, type TestBrowser } from './browser';
import { createUser, TEST_PASSWORD } from './console';

/**
 * Steps every console end-to-end test takes: a fresh browser context on the console, signing
 * in as a person would, and the screenshot plus accessibility check of a page.
 */
export interface ConsoleTab {
  page: Page;
  /** uncaught errors in the page; a test expects none */
  errors: string[];
}

/**
 * A headless Chromium for one test file: the console is built (when stale) and the browser
 * launched before the file's tests, closed after them. Call at the top level of the file.
 */
export function chromiumForFile(): () => Browser {
  let launched: TestBrowser | undefined;
  beforeAll(async () => {
    ensureConsoleBuilt();
    launched = await launchBrowser();
  });
  afterAll(async () => launched?.close());
  return () => {
    if (!launched) throw new Error('the browser is not launched yet (use it inside a test)');
    return launched.browser;
  };
}

/** Console users with the test password: name -> role. */
export async function createUsers(acs: TestAcs, users: Record<string, ApiRole>): Promise<void> {
  for (const [name, role] of Object.entries(users)) await createUser(acs, role, name);
}

export async function openConsole(browser: Browser, apiUrl: string, path = '/'): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${apiUrl}${path}`);
  return { page, errors };
}

/** Fills in and sends the sign-in form, without waiting for the outcome (which may be a refusal). */
export async function submitSignIn(page: Page, name: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in on the sign-in page and waits for the shell. */
export async function signInAs(page: Page, name: string, password = TEST_PASSWORD): Promise<void> {
  await submitSignIn(page, name, password);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** A fresh console tab signed in as `name`, on the overview where signing in lands. */
export async function signedInTab(browser: Browser, apiUrl: string, name: string): Promise<ConsoleTab> {
  const tab = await openConsole(browser, apiUrl);
  await signInAs(tab.page, name);
  await tab.page.getByRole('heading', { name: 'Overview' }).waitFor();
  return tab;
}

/** Follows the main navigation's link to a page and waits for its heading. */
export async function goTo(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** Screenshot for a person to look at; returns axe-core's serious and critical violations. */
export async function pageCheck(page: Page, name: string): Promise<string[]> {
  await screenshot(page, name);
  return seriousViolations(await axe(page));
}

/** The status code of a same-origin API call from inside the page, with the session's CSRF token. */
export async function statusFromPage(page: Page, method: string, path: string, body?: unknown): Promise<number> {
  return page.evaluate(`(async () => {
    const session = await (await fetch('/api/v1/session')).json();
    const r = await fetch(${JSON.stringify(`/api/v1${path}`)}, {
      method: ${JSON.stringify(method)},
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      ${body === undefined ? '' : `body: ${JSON.stringify(JSON.stringify(body))},`}
    });
    return r.status;
  })()`) as Promise<number>;
}

/** The connection-request credentials the ACS sends and the simulated phones check. */
const CR = { username: 'cr-user', password: 'cr-secret' };

export interface AcsWithPhones {
  acs: TestAcs;
  fleet: Fleet;
}

/**
 * The ACS with the cwmp, api and worker roles, so that tasks and jobs reach the phones by
 * connection request, and a simulated fleet of `count` phones that answer them, each having
 * run one session so the ACS knows it. The caller stops the fleet and closes the ACS (unless
 * this throws).
 */
export async function startAcsWithPhones(count: number, serialPrefix: string): Promise<AcsWithPhones> {
  const acs = await startTestAcs({ ACS_CR_USERNAME: CR.username, ACS_CR_PASSWORD: CR.password, ACS_CR_TIMEOUT_MS: '2000' }, { roles: ['cwmp', 'api', 'worker'] });
  const fleet = new Fleet({
    acsUrl: `${acs.cwmpUrl}/cwmp`,
    count,
    auth: 'digest',
    username: CPE_USERNAME,
    password: CPE_PASSWORD,
    serialPrefix,
    retry: false,
    connectionRequestUsername: CR.username,
    connectionRequestPassword: CR.password,
  });
  try {
    await fleet.start();
    for (const d of fleet.devices) expect(await d.runSession()).toMatchObject({ ok: true });
  } catch (e) {
    // the caller never gets them to close: do it here, so the failure is the one reported
    await fleet.stop(1000);
    await acs.close();
    throw e;
  }
  return { acs, fleet };
}
