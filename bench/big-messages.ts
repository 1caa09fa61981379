/**
 * Big messages (issue 10, item 7): how long the ACS takes to answer an Inform, and a
 * GetParameterValuesResponse, carrying N parameters, and what a small device's periodic
 * session costs meanwhile.
 *
 *   node -r @swc-node/register bench/big-messages.ts --sizes 2000,20000
 *
 * Starts its own stores (bench/harness) and the cwmp role in this process. For each size, one device runs, each in its own
 * session: a first Inform (`1 BOOT`, so the values go to an empty tree field by field), an
 * Inform changing every value (merged into the stored tree), and a GetParameterValues task
 * answered with N values. A second device runs small periodic sessions back to back during
 * each step; the slowest of them is reported.
 */
import { loadConfig } from '../src/config';
import { encodeEnvelope } from '../src/cwmp/soap';
import type { CwmpMessage } from '../src/cwmp/soap/types';
import { deviceKey } from '../src/devices/id';
import { createLogger } from '../src/log';
import { openContext, startRoles } from '../src/roles';
import { TaskRepository } from '../src/tasks/repository';
import { inform, ManualCpe } from '../test/support/cwmp-client';
import { BENCH_CREDENTIALS as creds, flags, runBench, startStores, tableHeader } from './harness';

/** bound on the bystander's sessions per step */
const MAX_SMALL_SESSIONS = 10_000;

function params(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) => ({ name: `Device.X.${Math.floor(i / 100)}.P${i % 100}`, value: `${tag}${i}`, type: 'xsd:string' as const }));
}

function kB(message: CwmpMessage): number {
  return Math.round(Buffer.byteLength(encodeEnvelope({ namespace: 'urn:dslforum-org:cwmp-1-2', header: { id: 'x' }, body: message })) / 1024);
}

/** Runs `step` while a small device runs periodic sessions; returns both durations. */
async function measured(cwmpUrl: string, step: () => Promise<void>): Promise<{ ms: number; smallSessions: number; slowestSmallMs: number }> {
  let done = false;
  let slowest = 0;
  let count = 0;
  const small = (async () => {
    while (!done && count < MAX_SMALL_SESSIONS) {
      const t = Date.now();
      const cpe = new ManualCpe(cwmpUrl, creds);
      await cpe.exchange(inform('SMALL'));
      await cpe.post('');
      slowest = Math.max(slowest, Date.now() - t);
      count += 1;
    }
  })();
  const t0 = Date.now();
  await step();
  const ms = Date.now() - t0;
  done = true;
  await small;
  return { ms, smallSessions: count, slowestSmallMs: slowest };
}

runBench(async (cleanup) => {
  const values = flags({ sizes: { type: 'string', default: '2000,20000' } });
  const sizes = values.sizes!.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) throw new Error(`--sizes must be positive integers up to 100000, got ${values.sizes}`);
  const stores = await startStores(cleanup, 'big-messages');
  const config = loadConfig({
    MONGODB_URL: stores.mongodbUrl,
    REDIS_URL: stores.redisUrl,
    ACS_REDIS_PREFIX: stores.prefix,
    ACS_BIND_ADDRESS: '127.0.0.1',
    ACS_CWMP_PORT: '0',
    ACS_CWMP_USERNAME: creds.username,
    ACS_CWMP_PASSWORD: creds.password,
    // 20,000 parameters as this client encodes them take about 2 MB.
    ACS_CWMP_MAX_BODY: String(8 * 1024 * 1024),
    ACS_CWMP_MAX_PARAMETERS: '100000',
    LOG_LEVEL: 'warn',
  });
  const ctx = await openContext(config, createLogger(config.logLevel), { migrate: true });
  cleanup.defer(() => ctx.close());
  const running = await startRoles(ctx, ['cwmp']);
  cleanup.defer(() => Promise.allSettled(running.map((r) => r.close())));
  const cwmpUrl = running[0]?.url;
  if (!cwmpUrl) throw new Error('the cwmp role did not start');
  const tasks = new TaskRepository(ctx.db);
  const warm = new ManualCpe(cwmpUrl, creds);
  await warm.exchange(inform('SMALL'));
  await warm.post('');
  const rows: string[] = [];
  for (const n of sizes) {
    const serial = `BIG${n}`;
    const first = inform(serial, ['1 BOOT'], params(n, 'a'));
    const changed = inform(serial, ['2 PERIODIC'], params(n, 'b'));
    const answer: CwmpMessage = { method: 'GetParameterValuesResponse', parameterList: params(n, 'c') };
    const session = async (message: CwmpMessage) => {
      const cpe = new ManualCpe(cwmpUrl, creds);
      const r = await cpe.exchange(message);
      if (r.envelope.body.method !== 'InformResponse') throw new Error(`expected InformResponse, got ${r.envelope.body.method}`);
      return cpe;
    };
    const results = {
      'Inform, new device (1 BOOT)': await measured(cwmpUrl, async () => void (await (await session(first)).post(''))),
      'Inform, every value changed': await measured(cwmpUrl, async () => void (await (await session(changed)).post(''))),
      'GetParameterValuesResponse': { ms: 0, smallSessions: 0, slowestSmallMs: 0 },
    };
    await tasks.queue(deviceKey(first.deviceId), { method: 'GetParameterValues', parameterNames: ['Device.X.'] });
    const cpe = await session(changed);
    const request = await cpe.post('');
    const id = /<cwmp:ID[^>]*>([^<]+)</.exec(request.text)?.[1];
    results.GetParameterValuesResponse = await measured(cwmpUrl, async () => {
      const r = await cpe.send(answer, { id });
      if (r.status !== 204) throw new Error(`expected 204 after the answer, got ${r.status}`);
    });
    for (const [what, r] of Object.entries(results)) {
      const size = what.startsWith('Get') ? kB(answer) : kB(first);
      rows.push(`| ${what} | ${n.toLocaleString('en')} | ${size} kB | ${(r.ms / 1000).toFixed(1)} s | ${r.smallSessions} | ${r.slowestSmallMs} ms |`);
    }
  }
  process.stdout.write(`${tableHeader()}\n`);
  process.stdout.write('| message | parameters | body | answered in | small sessions meanwhile | slowest small session |\n|---|---|---|---|---|---|\n');
  process.stdout.write(`${rows.join('\n')}\n`);
});
