import { existsSync } from 'node:fs';
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

/** Local state of this checkout (local stores' data, local-stores.json, build stamps); git-ignored. */
export function defaultDataDir(): string {
  return path.join(repoRoot(), '.data');
}
