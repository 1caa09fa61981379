import type { Browser, Page } from 'playwright-core';
import type { ApiRole } from '../../src/auth';
import type { TestAcs } from './acs';
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

/** Signs in on the sign-in page and waits for the shell. */
export async function signInAs(page: Page, name: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
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
