/**
 * Console benchmark (issue 13): GET /api/v1/devices?q= (the search box) and GET /api/v1/overview
 * over N devices, through the API over loopback HTTP. Devices are seeded with their search
 * entries as sessions would have left them; the overview's counters are rebuilt from MongoDB
 * once (timed), as after a Redis loss. Each query runs --runs times after one warm-up.
 *
 *   node -r @swc-node/register bench/console.bench.ts --devices 100000 --runs 7
 *
 * Stores: --mongodb-url, else FerretDB in a temporary directory; the database is dropped at the end.
 */
import { TokenRepository } from '../src/auth';
import { FleetStats } from '../src/console/fleet-stats';
import { DeviceRepository } from '../src/devices/repository';
import { seedDevices } from './api-seed';
import { printFigures, startConsoleBench, timeEach } from './console-harness';
import { runBench } from './harness';

const CLASSES = ['CP-8851-3PCC', 'CP-7841-3PCC', 'CP-8865-3PCC'];
const VERSIONS = ['sip88xx.12-0-1MPP-2', 'sip88xx.11-3-7MPP', 'sip78xx.12-0-1MPP-2', 'sip78xx.11-3-7MPP', 'sip8865.12-0-1MPP'];
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

async function main(): Promise<void> {
  const { devices, runs, mongodbUrl, ctx, roles, close } = await startConsoleBench();
  try {
    const t0 = Date.now();
    const now = Date.now();
    const ids = await seedDevices(
      ctx.db,
      Array.from({ length: devices }, (_, i) => ({
        serialNumber: `FCH${String(i).padStart(7, '0')}`,
        productClass: CLASSES[i % 3],
        softwareVersion: VERSIONS[i % 5],
        tags: [`floor-${i % 100}`],
        mac: `00562b${hex(i, 6)}`,
        remoteAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        lastInformAt: new Date(now - ((i * 7919) % 172_800) * 1000),
        params: { 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.DirectoryNumber': String(100000 + i) },
      })),
      2000,
      { search: true },
    );
    const seedMs = Date.now() - t0;
    const t1 = Date.now();
    await new FleetStats(ctx.redis, ctx.config.redisPrefix).rebuild(new DeviceRepository(ctx.db));
    const rebuildMs = Date.now() - t1;
    const { token } = await new TokenRepository(ctx.db).create({ name: 'bench', role: 'viewer', createdBy: 'bench' });
    const apiUrl = `${roles[0].url}/api/v1`;
    const get = async (p: string) => {
      const res = await fetch(`${apiUrl}${p}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { items?: unknown[] };
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const k = Math.floor(devices / 2);
    const queries: Record<string, string> = {
      overview: '/overview',
      'q = serial number (1 match)': `/devices?q=FCH${String(k).padStart(7, '0')}`,
      'q = MAC with colons (1 match)': `/devices?q=${encodeURIComponent(`00:56:2b:${hex(k, 6).match(/../g)!.join(':')}`)}`,
      'q = device id (1 match)': `/devices?q=${encodeURIComponent(ids[k])}`,
      'q = IP address (1 match)': `/devices?q=10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`,
      'q = extension (1 match)': `/devices?q=${100000 + k}`,
      'q = start of a serial (100 match)': `/devices?q=FCH${String(k).padStart(7, '0').slice(0, 5)}`,
      'q = tag (1 % match, limit 50)': '/devices?q=floor-42',
      'q = tag, sort -lastInformAt': '/devices?q=floor-42&sort=-lastInformAt',
      'q = product class (1/3 match: capped at 1000)': '/devices?q=CP-7841-3PCC',
      'q = nothing matches': '/devices?q=zzzz',
    };
    const results = await timeEach(
      Object.fromEntries(Object.entries(queries).map(([name, q]) => [name, () => get(q)])),
      runs,
      (answer) => answer.items?.length,
    );
    printFigures(mongodbUrl, { devices, searchEntries: await ctx.db.collection('device_search').estimatedDocumentCount(), seedMs, counterRebuildMs: rebuildMs, runs, results });
  } finally {
    await close();
  }
}

runBench(main);
