import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { aptInstall } from './apt';

/**
 * A real headless Chromium for the console's end-to-end tests: Debian's `chromium` package
 * (installed here when missing; browsers cannot be downloaded on these machines), driven by
 * playwright-core, with a fresh profile and nothing reaching outside loopback.
 */
export const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-output/console');

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: run \`apt-get install -y chromium\` as root`);
  if (!aptInstall(['chromium'])) throw new Error('could not install Debian\'s chromium package with apt-get');
}

const BUILD_LOCK = join(ROOT, 'dist/.console-build.lock');
const LOCK_STALE_MS = 10 * 60_000;

/** Sleeps this thread (the build check is synchronous, as jest's beforeAll callers expect). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds the console unless dist/console is current (the build script skips itself then).
 * Several end-to-end files start in parallel: one builds while the others wait on a lock
 * directory (mkdir is atomic), then find the build current; a lock older than any build is a
 * crashed run's and is taken over.
 */
export function ensureConsoleBuilt(): void {
  mkdirSync(dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else pause(200);
    }
  }
  try {
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/console/build/build.ts'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('the console build failed');
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  ensureChromium();
  // playwright gives every launch a fresh, temporary user-data-dir of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's WCAG 2.x A/AA checks on the page as it is; returns the violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the console's CSP (no inline script) still
  // holds for the page itself; strings, as the test project has no DOM types.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE);
  return page.evaluate(`window.axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`) as Promise<AxeViolation[]>;
}

/** The serious and critical violations, as lines naming the rule and the elements. */
export function seriousViolations(violations: AxeViolation[]): string[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
