import { startApi } from '../api/role';
import { startWorker } from '../workers/role';
import type { AppContext } from './context';
import { startCwmp } from './cwmp';
import { startFs } from './fs';
import { startSyslog } from './syslog';
import { startTftp } from './tftp';
import type { RunningRole } from './http';
import { startMetrics } from './metrics';
import { startPresence } from './presence';

export type { AppContext } from './context';
export { openContext } from './context';
export type { Composition, MongoStores, Services, Stores } from './compose';
export type { RunningRole } from './http';

/** Every role a process can run, in start order; each takes what it needs of the process's root (compose.ts). */
export const ROLES: Record<string, (ctx: AppContext) => Promise<RunningRole>> = {
  cwmp: startCwmp,
  api: startApi,
  fs: startFs,
  worker: startWorker,
  syslog: startSyslog,
  tftp: startTftp,
};

export function parseRoles(text: string): string[] {
  const roles = [...new Set(text.split(',').map((r) => r.trim()).filter(Boolean))];
  const unknown = roles.filter((r) => !(r in ROLES));
  if (!roles.length || unknown.length) {
    throw new Error(`unknown role ${JSON.stringify(unknown[0] ?? text)}: choose from ${Object.keys(ROLES).join(', ')}`);
  }
  return roles;
}

/**
 * Starts the roles, the process's one metrics listener (named 'metrics') and its report to
 * the health page (named 'presence'); if one fails,
 * those already started are closed again.
 */
export async function startRoles(ctx: AppContext, roles: string[]): Promise<RunningRole[]> {
  const running: RunningRole[] = [];
  try {
    for (const role of roles) running.push(await ROLES[role](ctx));
    running.push(await startMetrics(ctx));
    running.push(startPresence(ctx, roles));
    return running;
  } catch (err) {
    await Promise.allSettled(running.map((r) => r.close()));
    throw err;
  }
}
