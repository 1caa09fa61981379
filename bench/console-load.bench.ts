/**
 * Operator console load benchmark (issue 13): a real headless Chromium (Debian's package)
 * loads the console from the api role over loopback. Reported per page, median of --runs cold
 * loads (fresh browser context, empty cache): time to the page's first content, and the
 * JavaScript it fetched, gzipped (the files it loaded, compressed with gzip's default level).
 *
 *   node -r @swc-node/register bench/console-load.bench.ts --devices 100000 --runs 7
 *
 * Stores: --mongodb-url, else FerretDB in a temporary directory; the database is dropped at the end.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserStore } from '../src/users';
import { ensureConsoleBuilt, launchBrowser } from '../test/support/browser';
import { seedDevices } from './api-seed';
import { startConsoleBench } from './console-harness';
import { runBench, tableHeader } from './harness';

const PASSWORD = 'bench password for the console';

runBench(async () => {
  ensureConsoleBuilt();
  const { devices, runs, ctx, roles, close } = await startConsoleBench();
  const chromium = await launchBrowser();
  try {
    await seedDevices(
      ctx.db,
      Array.from({ length: devices }, (_, i) => ({ serialNumber: `WEB${String(i).padStart(7, '0')}`, productClass: ['CP-8851-3PCC', 'CP-7841-3PCC'][i % 2], softwareVersion: `sip88xx.12-0-${i % 4}MPP`, tags: [], lastInformAt: new Date(Date.now() - (i % 7200) * 1000) })),
      2000,
    );
    await new UserStore(ctx.db).create({ name: 'bench', role: 'viewer', password: PASSWORD, createdBy: 'bench' });
    const base = roles[0]!.url;
    const dist = path.resolve(__dirname, '../dist/console');
    const gzipped = (url: string) => gzipSync(readFileSync(path.join(dist, new URL(url).pathname))).length;

    const measure = async (signedIn: boolean) => {
      const context = await chromium.browser.newContext();
      const page = await context.newPage();
      if (signedIn) {
        await page.goto(`${base}/`);
        await page.getByLabel('User name').fill('bench');
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('Devices in total').waitFor({ timeout: 120_000 });
        await page.close();
      }
      const fresh = signedIn ? await context.newPage() : page;
      await fresh.route('**/*', (route) => route.continue({ headers: { ...route.request().headers(), 'cache-control': 'no-cache' } }));
      const scripts: string[] = [];
      fresh.on('response', (r) => void (r.request().resourceType() === 'script' && scripts.push(r.url())));
      const t0 = performance.now();
      await fresh.goto(`${base}/`, { waitUntil: 'load' });
      await fresh.getByText(signedIn ? 'Devices in total' : 'Sign in to the ACS console').first().waitFor({ timeout: 120_000 });
      const ms = performance.now() - t0;
      await context.close();
      return { ms, jsGzip: scripts.reduce((n, u) => n + gzipped(u), 0), files: scripts.length };
    };

    process.stdout.write(`${tableHeader()}\n`);
    for (const [name, signedIn] of [['sign-in page', false], ['overview (signed in)', true]] as const) {
      const samples = [];
      for (let i = 0; i <= runs; i++) samples.push(await measure(signedIn));
      const times = samples.slice(1).map((s) => s.ms).sort((a, b) => a - b);
      const { jsGzip, files } = samples[samples.length - 1]!;
      process.stdout.write(`${name}: median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms, JavaScript ${files} files ${(jsGzip / 1024).toFixed(1)} KiB gzipped\n`);
    }
  } finally {
    await chromium.close();
    await close();
  }
});
