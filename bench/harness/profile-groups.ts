/**
 * Where a CPU profile of the ACS child spent its time: self time grouped by npm package or by
 * `src/` folder (two levels), then the top functions. For the `.cpuprofile` files that
 * `ACS_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"` makes a bench's child write:
 *
 *   npm run build && node dist/bench/harness/profile-groups.js DIR/*.cpuprofile [groups] [functions]
 *
 * The profiler samples wall time of the main thread: a blocked system call (a socket write
 * while the machine is busy) weighs as much as running code, and the GC and compiler threads
 * are not in it. `perf record -g` with `--perf-basic-prof` sees CPU time on every thread.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Profile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  samples: number[];
  timeDeltas: number[];
}

function groupOf(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : `(native) ${frame.functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (pkg) return `package ${pkg[1]}`;
  const own = /dist\/((?:src|bench|tools)\/[^/]+(?:\/[^/.]+(?=\/))?)/.exec(frame.url);
  if (own) return own[1];
  return frame.url.replace(/^node:(internal\/)?([^/]+).*/, 'node:$2');
}

function top(counts: Map<string, number>, total: number, n: number): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`)
    .join('\n');
}

const [file, groupsShown = '40', functionsShown = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-groups.js FILE.cpuprofile [groups] [functions]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
const groups = new Map<string, number>();
const functions = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = frames.get(id)!;
  const us = profile.timeDeltas[i] ?? 0;
  total += us;
  const group = groupOf(frame);
  groups.set(group, (groups.get(group) ?? 0) + us);
  const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*\/(node_modules|dist)\//, '')}:${frame.lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + us);
});
process.stdout.write(`${(total / 1000).toFixed(0)} ms sampled in ${file}\n${top(groups, total, Number(groupsShown))}\n\ntop functions (self time)\n${top(functions, total, Number(functionsShown))}\n`);
