import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Jest's workers install what their tests need at the same time (chromium, the TFTP clients,
 * redis-tools): each apt-get would find dpkg's lock taken and fail. They take turns on this
 * lock, and wait for any other apt on the machine besides.
 */
const LOCK = path.join(tmpdir(), 'cwmp-acs-apt.lock');

function aptGet(args: string[], quiet: boolean): boolean {
  const run = spawnSync('flock', [LOCK, 'apt-get', '-o', 'DPkg::Lock::Timeout=600', ...args], {
    stdio: quiet ? 'ignore' : 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 900_000,
  });
  return run.status === 0;
}

/** Installs Debian packages (as root), refreshing the package lists once when they are stale. */
export function aptInstall(packages: readonly string[], options: { quiet?: boolean } = {}): boolean {
  const quiet = options.quiet ?? false;
  return aptGet(['install', '-y', ...packages], quiet) || (aptGet(['update'], quiet) && aptGet(['install', '-y', ...packages], quiet));
}
