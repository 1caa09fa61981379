import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../stores/paths';

/** The version in package.json, from src/ (tests) or dist/src/ (built). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
