import { readdirSync, readFileSync } from 'node:fs';

/**
 * The pid of the store this bench started: the process whose command line names the bench's
 * storage directory (Linux /proc); undefined elsewhere or with --mongodb-url.
 */
export function storePid(storageDir: string): number | undefined {
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmdline.includes(storageDir)) return Number(pid);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** CPU milliseconds used so far by the store this bench started (see storePid). */
export function storeCpuMs(storageDir: string): number | undefined {
  const pid = storePid(storageDir);
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
