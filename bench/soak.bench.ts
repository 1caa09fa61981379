/**
 * RSS soak (issue 17, item 6): --phones simulated phones on a short periodic interval (Digest,
 * keep-alive, nothing to do) against one `acs serve --roles cwmp` child for --minutes, its RSS
 * sampled every --sample-seconds. Reports the first, last and largest sample and the drift
 * (last against first, the first taken after one whole interval so that every phone has
 * registered); the target is RSS flat within 10 %.
 *
 *   npm run build && node dist/bench/soak.bench.js --phones 1000 --interval 30 --minutes 60
 *
 * The phones run in this process (the Fleet of src/sim), the ACS in its own.
 */
import os from 'node:os';
import { Fleet } from '../src/sim';
import { BENCH_CREDENTIALS, flags, positiveInt, report, round, runBench, startAcs, startStores } from './harness';

const MB = 2 ** 20;

runBench(async (cleanup) => {
  const f = flags({
    phones: { type: 'string', default: '1000' },
    interval: { type: 'string', default: '30' },
    minutes: { type: 'string', default: '60' },
    'sample-seconds': { type: 'string', default: '60' },
    'mongodb-url': { type: 'string' },
  });
  const phones = positiveInt('phones', f.phones);
  const interval = positiveInt('interval', f.interval);
  const minutes = positiveInt('minutes', f.minutes);
  const every = positiveInt('sample-seconds', f['sample-seconds']);
  const stores = await startStores(cleanup, 'soak', f['mongodb-url']);
  const acs = await startAcs(cleanup, { roles: ['cwmp'], stores });
  const fleet = new Fleet({ acsUrl: `${acs.url.cwmp}/`, count: phones, auth: 'digest', ...BENCH_CREDENTIALS, periodic: true, periodicInformInterval: interval, concurrency: 100 });
  await fleet.start();
  cleanup.defer(() => fleet.stop(2000));
  const samples: Array<{ minute: number; rssMB: number; heapMB: number; sessions: number; failed: number; load1: number }> = [];
  const t0 = Date.now();
  const end = t0 + minutes * 60_000;
  const cpu0 = (await acs.sample()).cpuMs;
  for (let next = t0 + every * 1000; next <= end; next += every * 1000) {
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    const s = await acs.sample();
    const summary = fleet.summary();
    samples.push({ minute: round((Date.now() - t0) / 60_000), rssMB: round(s.rssBytes / MB), heapMB: round(s.heapUsedBytes / MB), sessions: summary.sessions.ok, failed: summary.sessions.failed, load1: round(os.loadavg()[0]!, 2) });
    process.stderr.write(`${JSON.stringify(samples[samples.length - 1])}\n`);
  }
  const last = await acs.sample();
  const settled = samples.filter((s) => s.minute * 60 >= interval);
  const first = settled[0] ?? samples[0]!;
  const final = samples[samples.length - 1]!;
  report('soak', {
    phones,
    intervalSeconds: interval,
    minutes,
    sessions: final.sessions,
    failed: final.failed,
    acsCpuMsPerSession: round((last.cpuMs - cpu0) / Math.max(1, final.sessions), 3),
    rssMB: { first: first.rssMB, last: final.rssMB, max: Math.max(...samples.map((s) => s.rssMB)), driftPercent: round(((final.rssMB - first.rssMB) / first.rssMB) * 100) },
    samples,
  });
});
