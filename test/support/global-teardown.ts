import { rm } from 'node:fs/promises';
import type { TestRun } from './run';

/** Stops what global-setup started (globalSetup and globalTeardown share one process). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __acsTestRun?: TestRun };
  const run = holder.__acsTestRun;
  if (!run) return;
  delete holder.__acsTestRun;
  await run.stores.stop();
  await rm(run.storageDir, { recursive: true, force: true });
}
