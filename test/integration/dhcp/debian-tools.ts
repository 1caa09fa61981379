import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { findExecutable } from '../../../tools/local-stores/process';

const run = promisify(execFile);

export interface DebianTool {
  binary: string;
  /** Debian package that installs it */
  pkg: string;
  /** the package ships a service that its postinst would start */
  hasService?: boolean;
}

export type ToolLookup = { path: string } | { skip: string };

const SBIN_DIRS = ['/usr/sbin', '/sbin', '/usr/bin'];

/**
 * Debian's `invoke-rc.d` asks /usr/sbin/policy-rc.d before starting a service; exit 101 means
 * "never". Without that guard, installing a DHCP server package would start a server.
 */
async function servicesBlocked(): Promise<boolean> {
  if (!existsSync('/usr/sbin/policy-rc.d')) return false;
  try {
    await run('/usr/sbin/policy-rc.d', ['kea-dhcp4-server', 'start']);
    return false;
  } catch (err) {
    return (err as { code?: number }).code === 101;
  }
}

async function aptInstall(packages: string[]): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', '--no-install-recommends', ...packages];
  try {
    await run('apt-get', args, { env, timeout: 600_000 });
  } catch {
    // an empty or stale package list: refresh once and retry
    await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update', '-qq'], { env, timeout: 600_000 });
    await run('apt-get', args, { env, timeout: 600_000 });
  }
}

/** Finds each tool, installing missing ones from Debian when this process may (root, apt-get). */
export async function ensureDebianTools(tools: DebianTool[]): Promise<Map<string, ToolLookup>> {
  const result = new Map<string, ToolLookup>();
  const missing = tools.filter((t) => !findExecutable(t.binary, SBIN_DIRS));
  if (missing.length > 0) {
    const root = process.getuid?.() === 0 && findExecutable('apt-get') !== undefined;
    const blocked = await servicesBlocked();
    const installable = missing.filter((t) => root && (!t.hasService || blocked));
    if (installable.length > 0) await aptInstall([...new Set(installable.map((t) => t.pkg))]);
    for (const t of missing) {
      if (!root) result.set(t.binary, { skip: `${t.binary} is not installed and installing Debian's ${t.pkg} needs root with apt-get` });
      else if (t.hasService && !blocked) {
        result.set(t.binary, { skip: `${t.binary} is not installed, and installing ${t.pkg} here would start its service (no policy-rc.d)` });
      }
    }
  }
  for (const t of tools) {
    if (result.has(t.binary)) continue;
    const path = findExecutable(t.binary, SBIN_DIRS);
    result.set(t.binary, path ? { path } : { skip: `${t.binary} is still missing after installing ${t.pkg}` });
  }
  return result;
}
