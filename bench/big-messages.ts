/**
 * Big messages (issue 10, item 7): how long the ACS takes to answer an Inform, and a
 * GetParameterValuesResponse, carrying N parameters, and what a small device's periodic
 * session costs meanwhile.
 *
 *   node -r @swc-node/register bench/big-messages.ts --sizes 2000,20000
 *
 * Starts its own stores (bench/harness; `--mongodb-url` for another MongoDB or FerretDB, e.g. one
 * started with `-pprof-addr`) and the cwmp role in this process. For each size, one device runs, each in its own
 * session: a first Inform (`1 BOOT`, so the values go to an empty tree field by field), an
 * Inform changing every value (merged into the stored tree), and a GetParameterValues task
 * answered with N values. A second device runs small periodic sessions back to back during
 * each step; the slowest of them is reported.
 *
 *   node -r @swc-node/register bench/big-messages.ts --sizes '' --discovery 3000
 *
 * Discovery of a whole data model (issue 17, item 5): a simulated phone (src/sim) with enough
 * extensions for at least N names bootstraps, then answers a GetParameterNames of `Device.`
 * in one session, the GetParameterValues of `Device.` (every parameter it listed) in the next, and the
 * same GetParameterNames once more (now merged with known values). For
 * each, the time from the request carrying the answer to the ACS's reply, the whole session,
 * the body and the MongoDB commands of that answer (those not about the small device).
 */
import type { CommandStartedEvent, CommandSucceededEvent, Document } from 'mongodb';
import { loadConfig } from '../src/config';
import { decodeEnvelope, encodeEnvelope } from '../src/cwmp/soap';
import type { AcsRequest, CwmpMessage } from '../src/cwmp/soap/types';
import { deviceKey } from '../src/devices/id';
import { leaves } from '../src/devices/params';
import { DeviceRepository } from '../src/devices/repository';
import type { ParamTree } from '../src/devices/types';
import { createLogger } from '../src/log';
import { openContext, startRoles, type AppContext } from '../src/roles';
import { Device, EVENT, productTree } from '../src/sim';
import { DEFAULT_OUI, DEFAULT_PRODUCT_CLASS, deriveIdentity } from '../src/sim/datamodel';
import { factorySettings } from '../src/sim/factory';
import { deviceProfile } from '../src/sim/profile';
import { TaskRepository } from '../src/tasks/repository';
import { inform, ManualCpe } from '../test/support/cwmp-client';
import { BENCH_CREDENTIALS as creds, flags, positiveInt, runBench, startStores, tableHeader } from './harness';

/** bound on the bystander's sessions per step (`--alone`: none, so the process CPU is the step's own) */
let MAX_SMALL_SESSIONS = 10_000;

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

/** The small device's key: its commands are not counted as the big device's. */
const SMALL_KEY = deviceKey(inform('SMALL').deviceId);

/** The small parts of a command that say which documents it addresses. */
function mentions(cmd: Document, needle: string): boolean {
  const parts = [cmd.filter, cmd.query, cmd.q, ...(cmd.updates ?? []).map((u: Document) => u.q), ...(cmd.deletes ?? []).map((d: Document) => d.q), ...(cmd.documents ?? []).map((d: Document) => d._id)];
  return parts.some((p) => p !== undefined && JSON.stringify(p).includes(needle));
}

/**
 * MongoDB commands (`collection.command`) the ACS sends between start() and stop(), the small
 * device's left out, with how many and the milliseconds until each one's reply.
 */
function commandCounter(ctx: AppContext) {
  let counts: Record<string, { n: number; ms: number }> | undefined;
  const started = new Map<number, string>();
  ctx.mongo.on('commandStarted', (e: CommandStartedEvent) => {
    if (!counts || mentions(e.command, SMALL_KEY)) return;
    const collection = e.command[e.commandName];
    const key = `${typeof collection === 'string' ? `${collection}.` : ''}${e.commandName}`;
    counts[key] = { n: (counts[key]?.n ?? 0) + 1, ms: counts[key]?.ms ?? 0 };
    started.set(e.requestId, key);
  });
  ctx.mongo.on('commandSucceeded', (e: CommandSucceededEvent) => {
    const key = started.get(e.requestId);
    started.delete(e.requestId);
    if (key && counts?.[key]) counts[key].ms += e.duration;
  });
  return {
    start: () => void (counts = {}),
    stop: () => {
      const out = counts ?? {};
      counts = undefined;
      return out;
    },
  };
}

interface AnswerFigures {
  /** request carrying the answer → the ACS's reply */
  answerMs: number;
  /** this process's CPU meanwhile: the cwmp role's work, and the small device's sessions */
  cpuMs: number;
  /** Inform → the 204 ending the session */
  sessionMs: number;
  bodyBytes: number;
  commands: Record<string, { n: number; ms: number }>;
}

/**
 * The discovery of a whole data model by a simulated phone with at least `minNames` names:
 * bootstrap, GetParameterNames of `Device.`, GetParameterValues of every parameter listed.
 */
async function discovery(ctx: AppContext, cwmpUrl: string, tasks: TaskRepository, minNames: number): Promise<string[]> {
  let lines = 1;
  const names = (l: number) => [...productTree(DEFAULT_PRODUCT_CLASS, l).walk('Device.')].length;
  while (names(lines) < minNames) lines += 1;
  const profile = deviceProfile({ lines });
  const identity = deriveIdentity(0, 'bench', 'DISC', DEFAULT_OUI);
  const sim = new Device({ tree: productTree(profile.productClass, lines), factory: factorySettings(identity, profile, { acsUrl: cwmpUrl, oui: DEFAULT_OUI, seed: 'bench' }) });
  const counter = commandCounter(ctx);

  /** One session in which the phone answers the one request the ACS sends. */
  const answerOne = async (): Promise<AnswerFigures & { request: AcsRequest; answer: CwmpMessage }> => {
    const t0 = Date.now();
    sim.events.add(EVENT.PERIODIC);
    const cpe = new ManualCpe(cwmpUrl, creds);
    const informed = await cpe.exchange(sim.buildInform());
    if (informed.envelope.body.method !== 'InformResponse') throw new Error(`expected InformResponse, got ${informed.envelope.body.method}`);
    sim.informAcknowledged();
    const asked = await cpe.post('');
    const envelope = decodeEnvelope(asked.text);
    const request = envelope.body as AcsRequest;
    const answer = sim.handle(request);
    const body = encodeEnvelope({ namespace: 'urn:dslforum-org:cwmp-1-2', header: { id: envelope.header.id }, body: answer });
    counter.start();
    const t1 = Date.now();
    const cpu0 = process.cpuUsage();
    const end = await cpe.post(body);
    const answerMs = Date.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    const commands = counter.stop();
    if (end.status !== 204) throw new Error(`expected 204 after the answer, got ${end.status}`);
    return { request, answer, answerMs, cpuMs: Math.round((cpu.user + cpu.system) / 1000), sessionMs: Date.now() - t0, bodyBytes: Buffer.byteLength(body), commands };
  };

  const boot = new ManualCpe(cwmpUrl, creds);
  const first = sim.buildInform();
  await boot.exchange(first);
  sim.informAcknowledged();
  await boot.post('');
  const id = deviceKey(first.deviceId);

  await tasks.queue(id, { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: false });
  let gpn: Awaited<ReturnType<typeof answerOne>> | undefined;
  const gpnMeanwhile = await measured(cwmpUrl, async () => void (gpn = await answerOne()));
  if (gpn?.answer.method !== 'GetParameterNamesResponse') throw new Error(`expected GetParameterNamesResponse, got ${gpn?.answer.method}`);
  const listed = gpn.answer.parameterList;
  const parameters = listed.filter((p) => !p.name.endsWith('.')).map((p) => p.name);

  // `Device.` names every parameter listed; the API takes at most 1,000 names per task.
  await tasks.queue(id, { method: 'GetParameterValues', parameterNames: ['Device.'] });
  let gpv: Awaited<ReturnType<typeof answerOne>> | undefined;
  const gpvMeanwhile = await measured(cwmpUrl, async () => void (gpv = await answerOne()));
  if (gpv?.answer.method !== 'GetParameterValuesResponse') throw new Error(`expected GetParameterValuesResponse, got ${gpv?.answer.method}`);

  // A later discovery of the same phone merges the listing with the values now known.
  await tasks.queue(id, { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: false });
  let again: Awaited<ReturnType<typeof answerOne>> | undefined;
  const againMeanwhile = await measured(cwmpUrl, async () => void (again = await answerOne()));
  if (!again) throw new Error('no second GetParameterNames');

  // What the ACS now holds must be the phone's tree: every parameter, with its flag and value.
  const stored = [...leaves(((await new DeviceRepository(ctx.db).paramsOf(id))?.params ?? {}) as ParamTree)];
  const complete = stored.filter(([, leaf]) => leaf._w !== undefined && leaf._v !== undefined).length;
  if (stored.length !== parameters.length || complete !== parameters.length) throw new Error(`stored ${stored.length} parameters (${complete} with flag and value), the phone has ${parameters.length}`);

  const row = (what: string, count: string, f: AnswerFigures, m: Awaited<ReturnType<typeof measured>>) => {
    const commands = Object.entries(f.commands).map(([k, v]) => `${k} ${v.n} (${Math.round(v.ms)} ms)`).join(', ');
    return `| ${what} | ${count} | ${Math.round(f.bodyBytes / 1024)} kB | ${f.answerMs} ms | ${f.cpuMs} ms | ${f.sessionMs} ms | ${commands} | ${m.smallSessions} | ${m.slowestSmallMs} ms |`;
  };
  return [
    `<!-- ${lines} lines: ${listed.length} names, ${parameters.length} parameters -->`,
    '| answer | names | body | answered in | process CPU meanwhile | session | MongoDB commands of the answer (time to reply) | small sessions meanwhile | slowest small session |',
    '|---|---|---|---|---|---|---|---|---|',
    row('GetParameterNamesResponse (`Device.`)', listed.length.toLocaleString('en'), gpn, gpnMeanwhile),
    row('GetParameterValuesResponse (`Device.`)', parameters.length.toLocaleString('en'), gpv, gpvMeanwhile),
    row('GetParameterNamesResponse again (values known)', listed.length.toLocaleString('en'), again, againMeanwhile),
  ];
}

runBench(async (cleanup) => {
  const values = flags({ sizes: { type: 'string', default: '2000,20000' }, discovery: { type: 'string' }, alone: { type: 'boolean', default: false }, 'mongodb-url': { type: 'string' } });
  if (values.alone) MAX_SMALL_SESSIONS = 0;
  const sizes = values.sizes ? values.sizes.split(',').map(Number) : [];
  const discoveryNames = values.discovery === undefined ? undefined : positiveInt('discovery', values.discovery);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) throw new Error(`--sizes must be positive integers up to 100000, got ${values.sizes}`);
  const stores = await startStores(cleanup, 'big-messages', values['mongodb-url']);
  const config = loadConfig({
    MONGODB_URL: stores.mongodbUrl,
    REDIS_URL: stores.redisUrl,
    ACS_REDIS_PREFIX: stores.prefix,
    ACS_BIND_ADDRESS: '127.0.0.1',
    ACS_CWMP_PORT: '0',
    ACS_METRICS_PORT: '0',
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
  if (rows.length) {
    process.stdout.write('| message | parameters | body | answered in | small sessions meanwhile | slowest small session |\n|---|---|---|---|---|---|\n');
    process.stdout.write(`${rows.join('\n')}\n`);
  }
  if (discoveryNames) process.stdout.write(`${(await discovery(ctx, cwmpUrl, tasks, discoveryNames)).join('\n')}\n`);
});
