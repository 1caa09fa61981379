/**
 * File-service benchmark (issue 4): phones fetching their full MPP profile from the fs role on
 * their own resync channel (`GET /cisco/<MAC>.cfg`), rendered from each device's desired
 * parameters (the whole sample profile, ~1,000 parameters) with macros, gzip and AES-256-CBC.
 *
 *   npm run build && node dist/bench/fs.bench.js --devices 200 --seconds 20 --connections 32
 *
 * Starts its own stores and seeds the devices, and runs `acs serve --roles fs` as a child
 * process (bench/harness). Two measurements:
 *  1. in this process: one device's desired-state lookup (device + desired documents) plus
 *     render + gzip + AES-256-CBC, sequentially (latency per profile);
 *  2. autocannon in this process against the child: profile downloads per second, latency, and
 *     the fs process's CPU per download (from its metrics port). Load generator and ACS share the
 *     machine's cores.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { loadCatalogue } from '../src/cisco/catalogue';
import { validateValue, type ProfileEntry } from '../src/cisco/profile';
import { deviceKey } from '../src/devices/id';
import type { DeviceDoc } from '../src/devices/types';
import { MacDirectory, PhoneTokens, ProfileRenderer, renderDeviceProfile, StoredDesiredConfig, withToken } from '../src/provisioning';
import { matchProfileRule } from '../src/provisioning/phone/rule-match';
import { deviceMacros, desiredValues } from '../src/provisioning/render/render';
import { connectMongo } from '../src/stores/mongo';
import { freePort } from '../tools/local-stores/process';
import { flags, percentile, positiveInt, report, runBench, startAcs, startStores } from './harness';

function options() {
  const values = flags({
    devices: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    plain: { type: 'boolean', default: false },
    'mongodb-url': { type: 'string' },
  });
  return {
    devices: positiveInt('devices', values.devices),
    seconds: positiveInt('seconds', values.seconds),
    connections: positiveInt('connections', values.connections),
    plain: values.plain!,
    mongodbUrl: values['mongodb-url'],
  };
}

const mac = (i: number) => `00562b${(0xa00000 + i).toString(16)}`;

/** The whole MPP sample profile with one device's account filled in (as bench/profile.bench.ts). */
function fullProfile(i: number, fsHost: string, plain: boolean): ProfileEntry[] {
  const own: Record<string, string> = {
    User_ID_1_: `40855${String(10000 + i)}`,
    Auth_ID_1_: `auth${i}`,
    Password_1_: `line-secret-${i}`,
    Display_Name_1_: 'Desk $MA',
    Proxy_1_: 'sip.example.net:5060',
    Station_Name: 'Phone $SN',
    Profile_Rule: plain ? `http://${fsHost}/cisco/$MA.cfg` : `[--key $SA] http://${fsHost}/cisco/$MA.cfg`,
    GPP_SA: `device-key-${i}`,
  };
  const entries: ProfileEntry[] = [];
  for (const e of loadCatalogue().entries) {
    const value = own[e.name] ?? e.sample;
    if (value === undefined) entries.push({ name: e.name, value: '', ua: e.ua, selfClosing: true });
    else if (!validateValue(e.name, value)) entries.push({ name: e.name, value, ua: e.ua });
  }
  return entries;
}

runBench(async (cleanup) => {
  const opts = options();
  const stores = await startStores(cleanup, 'fs', opts.mongodbUrl);
  const { client, db } = await connectMongo(stores.mongodbUrl);
  cleanup.defer(() => client.close());
  const { migrate } = await import('../src/stores/migrate');
  await migrate(db);

  const port = await freePort();
  const fsHost = `127.0.0.1:${port}`;
  const desired = new StoredDesiredConfig(db);
  const macs = new MacDirectory(db);
  // Phones prove themselves with the token the ACS renders into their Profile_Rule (issue 11).
  const secret = randomBytes(32).toString('hex');
  const tokens = new PhoneTokens(Buffer.from(secret, 'utf8'), 86_400);
  const tokenOf: string[] = [];
  const seedStart = Date.now();
  let parameters = 0;
  for (let i = 0; i < opts.devices; i++) {
    const deviceId = { manufacturer: 'Cisco Systems, Inc.', oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: `FCHB${String(i).padStart(6, '0')}` };
    const id = deviceKey(deviceId);
    const now = new Date();
    const doc: DeviceDoc = { _id: id, deviceId, registeredAt: now, lastInformAt: now, lastEvents: [], eventTimes: {}, cwmpVersion: '1.2', retryCount: 0, softwareVersion: 'sip88xx.12-0-1MPP-2', tags: [], taskQueue: [] };
    await db.collection<DeviceDoc>('devices').insertOne(doc);
    await macs.assign(id, mac(i), 'api');
    tokenOf.push(tokens.issue(id, { deviceKey: false }));
    parameters = (await desired.replace(id, fullProfile(i, fsHost, opts.plain), { gzip: !opts.plain })).entries.length;
  }
  const seedSeconds = (Date.now() - seedStart) / 1000;

  // 1. In this process, one profile after another: the lookups the fs role makes (MAC,
  // device, desired state) and render + gzip + AES-256-CBC, first cold (nothing cached: the
  // desired revision read from the store, the profile rendered), then warm (as the fs role
  // serves a phone again: revision and rendered profile from memory, encryption fresh).
  const sample = Math.min(opts.devices, 200);
  const renderer = new ProfileRenderer();
  const measure = async (fresh: boolean) => {
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const store = fresh ? new StoredDesiredConfig(db) : desired;
    for (let i = 0; i < sample; i++) {
      const t = process.hrtime.bigint();
      const id = (await macs.lookup(mac(i)))!;
      const [device, config] = await Promise.all([db.collection<DeviceDoc>('devices').findOne({ _id: id }), store.get(id)]);
      const facts = { deviceId: id, productClass: device!.deviceId.productClass, serialNumber: device!.deviceId.serialNumber, mac: mac(i), softwareVersion: device!.softwareVersion };
      const values = desiredValues(config!.entries);
      const rule = matchProfileRule(values, `/cisco/${mac(i)}.cfg`, deviceMacros(facts, values));
      (fresh ? renderDeviceProfile(facts, config!, { cbcKey: rule?.options.key }) : renderer.render(facts, config!, { cbcKey: rule?.options.key }));
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    return {
      profiles: latencies.length,
      p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
      p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
      cpuMsPerProfile: Math.round(((cpu.user + cpu.system) / 1000 / latencies.length) * 100) / 100,
    };
  };
  await measure(false);
  const cold = await measure(true);
  const warm = await measure(false);

  // 2. The fs role in its own process under autocannon.
  const fs = await startAcs(cleanup, { roles: ['fs'], stores, env: { ACS_SECRET: secret, ACS_FS_PORT: String(port) } });
  const base = fs.url.fs!;
  let next = 0;
  const run = (seconds: number) =>
    autocannon({
      url: base,
      connections: opts.connections,
      duration: seconds,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const i = next++ % opts.devices;
            return { ...req, path: withToken(`/cisco/${mac(i)}.cfg`, tokenOf[i]), headers: { 'user-agent': `Cisco-CP-8851-3PCC/12.0.1 (${mac(i)})` } };
          },
        },
      ],
    });
  await run(3);
  const cpuBefore = (await fs.sample()).cpuMs;
  const result = await run(opts.seconds);
  const cpuAfter = (await fs.sample()).cpuMs;
  const ok = result['2xx'];
  report('fs', {
    store: stores.label,
    devices: opts.devices,
    parametersPerProfile: parameters,
    delivery: opts.plain ? 'plain XML' : 'gzip + AES-256-CBC (rule --key $SA)',
    seedSeconds: Math.round(seedSeconds),
    renderWithLookup: { cold, warm },
    downloads: {
      connections: opts.connections,
      seconds: opts.seconds,
      ok,
      non2xx: result.non2xx,
      errors: result.errors,
      perSecond: Math.round(ok / opts.seconds),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      bytesPerProfile: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
      fsCpuMsPerDownload: Math.round(((cpuAfter - cpuBefore) * 100) / Math.max(1, result.requests.total)) / 100,
    },
  });
});
