import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The checkout this module belongs to: the nearest folder above it holding package.json.
 * Walking up (rather than a fixed `../..`) keeps it right from `src/` under ts and from
 * `dist/src/` once built.
 */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from, i = 0; i < 64; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`no package.json above ${from}`);
}

/** Local state of this checkout (FerretDB build and data, local-stores.json); git-ignored. */
export function defaultDataDir(): string {
  return path.join(repoRoot(), '.data');
}

/** The Go wrapper module that embeds FerretDB; sources only, never copied to dist. */
export function ferretdbModuleDir(): string {
  return path.join(repoRoot(), 'src', 'stores', 'ferretdb');
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
