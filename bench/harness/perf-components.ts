/**
 * Where the ACS child's CPU went, by component, from `perf script` output of a
 * `perf record -g` of the child run with `--perf-basic-prof --interpreted-frames-native-stack`
 * (`ACS_BENCH_NODE_ARGS`). Unlike a `--cpu-prof` profile it counts CPU time only, on every
 * thread (GC and compiler threads included). A sample of the main thread goes to the first
 * frame, from the leaf, of a known package or `src/` folder; others by what V8 was doing.
 *
 *   perf record -F 999 -g -p <child pid> -o acs.data -- sleep 6
 *   npm run build && node dist/bench/harness/perf-map.js /tmp/perf-<child pid>.map   (once the child ended)
 *   perf script -i acs.data > acs.txt && node dist/bench/harness/perf-components.js acs.txt [ACS CPU ms per session]
 *
 * With the bench's ACS CPU per session of the same run, each share is also given in µs per session.
 */
import { readFileSync } from 'node:fs';

const HTTP_PACKAGES = 'koa|koa-compose|delegates|on-finished|ee-first|raw-body|statuses|http-errors|content-type|type-is|mime-types|cookies|depd|vary|encodeurl|escape-html|fresh|accepts|negotiator|only|destroy|iconv-lite|bytes|unpipe';

/** Each component's frames; the parts of one library (the driver and BSON) apart. */
const COMPONENTS: Array<[string, RegExp]> = [
  ['MongoDB driver', /node_modules\/mongodb\//],
  ['BSON', /node_modules\/bson\//],
  ['Redis client (ioredis)', /node_modules\/(ioredis|@ioredis|standard-as-callback|redis-parser|denque|cluster-key-slot)\//],
  ['XML: saxes', /node_modules\/(saxes|xmlchars)\//],
  ['SOAP codec (src/cwmp/soap)', /dist\/src\/cwmp\/soap\//],
  ['Digest + crypto', /dist\/src\/cwmp\/auth\/|node:internal\/crypto/],
  ['HTTP: Koa, body, the CWMP endpoint', new RegExp(`node_modules\\/(${HTTP_PACKAGES})\\/|dist\\/src\\/cwmp\\/http\\/|dist\\/src\\/http\\/`)],
  ['HTTP: node server and parser', /node:_http|llhttp/],
  ['session engine, devices, trace, provisioning, console', /dist\/src\/(cwmp\/session|cwmp\/trace|devices|provisioning|console|tasks|profiles|cisco)\//],
  ['metrics, logging', /node_modules\/(prom-client|pino|sonic-boom|tdigest|bintrees)\//],
];

function componentOf(frames: string[], mainThread: boolean): string {
  if (!mainThread) return frames.some((f) => /compiler|Compile|Turbofan|Maglev/.test(f)) ? 'V8 compiler threads' : 'V8 GC and other helper threads';
  for (const frame of frames) for (const [name, pattern] of COMPONENTS) if (pattern.test(frame)) return name;
  if (frames.some((f) => /Scavenger|MarkCompact|Heap::|GCTracer|Sweeper|ConcurrentMarking/.test(f))) return 'GC on the main thread';
  if (frames.some((f) => /stream_base_commons|node:net|uv__write|uv__read|writev|__libc_write|sendmsg/.test(f))) return 'socket I/O (node streams, libuv, kernel)';
  return 'event loop, timers, promise plumbing';
}

const [file, perSession] = process.argv.slice(2);
if (!file) throw new Error('usage: perf-components.js PERF_SCRIPT_OUTPUT [ACS_CPU_MS_PER_SESSION]');
const cpuUsPerSession = perSession ? Number(perSession) * 1000 : undefined;
const samples = readFileSync(file, 'utf8').split('\n\n').filter((s) => s.trim());
const threadOf = (sample: string) => sample.trim().split(/\s+/)[1] ?? '';
const perThread = new Map<string, number>();
for (const s of samples) perThread.set(threadOf(s), (perThread.get(threadOf(s)) ?? 0) + 1);
// The main thread is the busiest one.
const main = [...perThread].sort((a, b) => b[1] - a[1])[0]?.[0];
const counts = new Map<string, number>();
for (const s of samples) {
  const component = componentOf(s.split('\n').slice(1), threadOf(s) === main);
  counts.set(component, (counts.get(component) ?? 0) + 1);
}
const lines = [...counts]
  .sort((a, b) => b[1] - a[1])
  .map(([name, n]) => {
    const share = n / samples.length;
    const us = cpuUsPerSession === undefined ? '' : `${(share * cpuUsPerSession).toFixed(0).padStart(5)} µs/session  `;
    return `${(100 * share).toFixed(1).padStart(5)} %  ${us}${name}`;
  });
process.stdout.write(`${samples.length} samples\n${lines.join('\n')}\n`);
