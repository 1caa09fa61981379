import { spawnSync } from 'node:child_process';

/** Runs Debian's `openssl` on `input` and returns what it wrote; throws with its stderr when it fails. */
export function openssl(args: string[], input: Buffer): Buffer {
  const r = spawnSync('/usr/bin/openssl', args, { input, timeout: 10_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout;
}
