import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../stores/running';

/** Where a local ACS (`npm start`) of this checkout listens, for `acs sim` and the API commands. */
export interface LocalAcs {
  pid: number;
  cwmpUrl?: string;
  apiUrl?: string;
  fsUrl?: string;
}

const FILE = 'local-acs.json';

/** Records the running ACS until this process ends; returns a function that forgets it. */
export function recordLocalAcs(dataDir: string, acs: Omit<LocalAcs, 'pid'>): () => void {
  const file = path.join(dataDir, FILE);
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, ...acs }, null, 2)}\n`);
  const forget = () => rmSync(file, { force: true });
  process.once('exit', forget);
  return forget;
}

/** The local ACS of this checkout, if its process is still alive. */
export function findRunningLocalAcs(dataDir: string): LocalAcs | undefined {
  let state: Partial<LocalAcs> | null;
  try {
    state = JSON.parse(readFileSync(path.join(dataDir, FILE), 'utf8')) as Partial<LocalAcs> | null;
  } catch {
    return undefined;
  }
  if (typeof state?.pid !== 'number' || !isAlive(state.pid)) return undefined;
  const url = (u: unknown) => (typeof u === 'string' ? u : undefined);
  return { pid: state.pid, cwmpUrl: url(state.cwmpUrl), apiUrl: url(state.apiUrl), fsUrl: url(state.fsUrl) };
}
