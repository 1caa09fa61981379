import { homedir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../src/stores/paths';

/** The Go wrapper module that embeds FerretDB; found through the checkout, since tsc copies no Go files to dist. */
export function ferretdbModuleDir(): string {
  return path.join(repoRoot(), 'tools', 'local-stores', 'ferretdb');
}

/**
 * Where development tools built from source (the patched FerretDB, Helm) are kept, shared by
 * every checkout on the machine: a fresh clone (CI's, a second worktree) reuses a build whose
 * inputs have not changed instead of compiling for minutes again. `ACS_BUILD_CACHE` moves it.
 */
export function buildCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ACS_BUILD_CACHE) return path.resolve(env.ACS_BUILD_CACHE);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(homedir(), '.cache');
  return path.join(base, 'cwmp-acs');
}
