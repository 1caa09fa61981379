/**
 * Rewrites a V8 `--perf-basic-prof` map (`/tmp/perf-<pid>.map`) so that each address names
 * the code that was there last. V8 appends a line whenever it places code, and reuses the
 * addresses of code it has thrown away (module bodies run once at start, bytecode replaced by
 * optimised code); `perf script` then resolves a later sample to whichever entry it picks,
 * often the stale one, and a profile of the steady state shows start-up code, e.g. prom-client's
 * module bodies, under node's HTTP writes. Run it after the profiled process ended, before
 * `perf script`:
 *
 *   node dist/bench/harness/perf-map.js /tmp/perf-<pid>.map
 *
 * The original is kept beside it as `.orig`.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

/** Addresses of user space (47 bits on x86-64) are exact in a double. */
interface Entry {
  start: number;
  end: number;
  line: string;
}

/** The lines of `map` that no later line overlaps, in address order. */
export function newestEntries(map: string): string[] {
  const entries: Entry[] = [];
  for (const line of map.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) /i.exec(line);
    if (!m) continue;
    const start = parseInt(m[1]!, 16);
    entries.push({ start, end: start + parseInt(m[2]!, 16), line });
  }
  // From the newest back: an entry stays only where nothing newer already holds its addresses.
  const kept: Entry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    const at = firstEndingAfter(kept, e.start);
    if (at < kept.length && kept[at]!.start < e.end) continue;
    kept.splice(at, 0, e);
  }
  return kept.map((e) => e.line);
}

/** Index of the first of the sorted, disjoint `entries` that ends after `address`. */
function firstEndingAfter(entries: Entry[], address: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.end <= address) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

if (require.main === module) {
  const file = process.argv[2];
  let map: string;
  try {
    if (!file) throw new Error('usage: perf-map.js /tmp/perf-<pid>.map');
    map = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`perf-map: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const lines = newestEntries(map);
  copyFileSync(file, `${file}.orig`);
  writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '');
  process.stdout.write(`${file}: ${map.split('\n').filter(Boolean).length} lines, ${lines.length} entries kept\n`);
}
