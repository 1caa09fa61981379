/**
 * Profile pages benchmark (issue 14): what the profile editor asks while an operator types,
 * over N devices, through the API over loopback HTTP: the devices a selector matches
 * (POST /profiles/matches), the conflicts with the devices they affect (GET /profiles/conflicts:
 * 20 profiles of one precedence on 20 tags; tags never rule out an overlap, so 190 pairs), a
 * dry run of a 500-parameter profile (POST /profiles/validate) and the catalogue search. Each
 * request runs --runs times after one warm-up.
 *
 *   node -r @swc-node/register bench/profile-preview.bench.ts --devices 5000 --runs 5
 *
 * Stores: --mongodb-url, else FerretDB in a temporary directory; the database is dropped at the end.
 */
import { TokenRepository } from '../src/auth';
import { loadCatalogue } from '../src/cisco/catalogue';
import { ProfileStore } from '../src/profiles';
import { seedDevices } from './api-seed';
import { printFigures, startConsoleBench, timeEach } from './console-harness';
import { runBench } from './harness';

const CLASSES = ['CP-8851-3PCC', 'CP-7841-3PCC', 'CP-8865-3PCC'];
const VERSIONS = ['sip88xx.12-0-1MPP-2', 'sip88xx.11-3-7MPP', 'sip78xx.12-0-1MPP-2', 'sip78xx.11-3-7MPP', 'sip8865.12-0-1MPP'];

async function main(): Promise<void> {
  const { devices, runs, mongodbUrl, ctx, roles, close } = await startConsoleBench();
  try {
    const t0 = Date.now();
    await seedDevices(
      ctx.db,
      Array.from({ length: devices }, (_, i) => ({ serialNumber: `FCH${String(i).padStart(7, '0')}`, productClass: CLASSES[i % 3], softwareVersion: VERSIONS[i % 5], tags: [`floor-${i % 100}`] })),
      2000,
    );
    const seedMs = Date.now() - t0;
    // 20 profiles of one precedence that disagree on a parameter, two per floor
    const store = new ProfileStore(ctx.db);
    for (let f = 0; f < 10; f++) {
      for (const side of ['a', 'b']) await store.create(`floor-${f}-${side}`, { precedence: 1, match: { tags: [`floor-${f}`] }, parameters: [{ name: 'Station_Name', value: `${side}${f}` }] });
    }
    const { token } = await new TokenRepository(ctx.db).create({ name: 'bench', role: 'operator', createdBy: 'bench' });
    const apiUrl = `${roles[0].url}/api/v1`;
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${apiUrl}${p}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const answer = (await res.json()) as { count?: number; items?: unknown[] };
      if (res.status !== 200) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(answer)}`);
      return answer;
    };
    const big = loadCatalogue()
      .entries.filter((e) => e.sample !== undefined && !e.secret && e.type.kind !== 'rule')
      .slice(0, 500)
      .map((e) => ({ name: e.name, value: e.sample! }));
    const requests: Record<string, () => Promise<{ count?: number; items?: unknown[] }>> = {
      'matches: tag (1 %)': () => call('POST', '/profiles/matches', { match: { tags: ['floor-42'] } }),
      'matches: product class (1/3)': () => call('POST', '/profiles/matches', { match: { productClasses: ['CP-7841-3PCC'] } }),
      'matches: software range (2/5, filtered in memory)': () => call('POST', '/profiles/matches', { match: { softwareVersion: { min: 'sip88xx.11-0-0MPP' } } }),
      'matches: every device': () => call('POST', '/profiles/matches', { match: {} }),
      'conflicts: 20 profiles, 190 pairs, with their devices': () => call('GET', '/profiles/conflicts'),
      'validate: 500 parameters': () => call('POST', '/profiles/validate', { name: 'bench', precedence: 1, match: {}, parameters: big }),
      'catalogue search: "proxy"': () => call('GET', '/cisco/catalogue?q=proxy'),
      'catalogue: all (the editor loads it once)': () => call('GET', '/cisco/catalogue?limit=2000'),
    };
    const results = await timeEach(requests, runs, (answer) => answer.count ?? answer.items?.length);
    printFigures(mongodbUrl, { devices, seedMs, runs, results });
  } finally {
    await close();
  }
}

runBench(main);
