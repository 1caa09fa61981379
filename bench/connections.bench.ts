/**
 * Memory of idle keep-alive device connections (issue 17, item 6): --connections connections
 * to one `acs serve --roles cwmp` child on loopback, each opened for a whole periodic session
 * (Inform with Digest, InformResponse, empty POST, 204) and then left idle and open, as a
 * phone's connection is between the end of its session and the server's keep-alive timeout.
 * Reports the child's RSS and heap (after a full GC) before and with all of them open, what one costs, and the
 * sockets the child holds (its file descriptors), so that closed connections cannot pass for
 * cheap ones. The target is 10,000 connections under 500 MB RSS.
 *
 *   npm run build && node dist/bench/connections.bench.js --connections 10000 --devices 100
 *
 * --devices identities run their sessions side by side, each on a new connection; the
 * session timeout (which is also the server's keep-alive timeout) is raised to 900 s so that
 * the first connections are still open when the last one is made. Needs an fd limit above
 * --connections in both processes (`ulimit -n`).
 */
import { readdirSync } from 'node:fs';
import { Client } from 'undici';
import { CWMP_NAMESPACES, encodeEnvelope } from '../src/cwmp/soap';
import { ClientAuth } from '../src/sim/http/client-auth';
import { ConnectionPool } from '../src/sim/http/connection-pool';
import { SessionTransport } from '../src/sim/http/transport';
import { inform } from '../test/support/cwmp-client';
import { BENCH_CREDENTIALS, flags, positiveInt, report, round, runBench, startAcs, startStores, type AcsChild } from './harness';

const KEEP_ALIVE_S = 900;
const MB = 2 ** 20;

/** Never lends a connection twice: each session gets a new one, which stays open afterwards. */
class HoldingPool extends ConnectionPool {
  readonly held: Client[] = [];

  constructor() {
    super(0);
  }

  override acquire(origin: string): Client {
    return new Client(origin, { pipelining: 1, keepAliveTimeout: KEEP_ALIVE_S * 1000, keepAliveMaxTimeout: KEEP_ALIVE_S * 1000 });
  }

  override release(_origin: string, client: Client, reusable: boolean): void {
    if (reusable) this.held.push(client);
    else client.destroy().catch(() => undefined);
  }

  override async close(): Promise<void> {
    await Promise.all(this.held.splice(0).map((c) => c.destroy().catch(() => undefined)));
  }
}

/** One periodic session on a connection of its own, left open. */
async function session(acsUrl: string, pool: HoldingPool, auth: ClientAuth, serial: string): Promise<void> {
  const transport = new SessionTransport(acsUrl, { pool, auth, credentials: () => BENCH_CREDENTIALS, userAgent: 'acs-bench', requestTimeoutMs: 120_000, maxResponseBytes: 1 << 20, cookies: true, connectionPerRequest: false });
  const first = await transport.post(encodeEnvelope({ namespace: CWMP_NAMESPACES['1.2'], header: { id: '1' }, body: inform(serial) }), true);
  if (first.status !== 200) throw new Error(`${serial}: Inform answered ${first.status}`);
  const last = await transport.post('', false);
  if (last.status !== 204) throw new Error(`${serial}: empty POST answered ${last.status}`);
  transport.close(true);
}

async function footprint(acs: AcsChild) {
  const s = await acs.sample({ gc: true });
  return { rssMB: round(s.rssBytes / MB), heapUsedMB: round(s.heapUsedBytes / MB), fds: readdirSync(`/proc/${acs.pid}/fd`).length };
}

runBench(async (cleanup) => {
  const f = flags({ connections: { type: 'string', default: '10000' }, devices: { type: 'string', default: '100' }, 'mongodb-url': { type: 'string' } });
  const connections = positiveInt('connections', f.connections);
  const devices = Math.min(connections, positiveInt('devices', f.devices));
  const stores = await startStores(cleanup, 'connections', f['mongodb-url']);
  const acs = await startAcs(cleanup, { roles: ['cwmp'], stores, env: { ACS_CWMP_SESSION_TIMEOUT: String(KEEP_ALIVE_S) }, nodeArgs: ['--expose-gc'] });
  const acsUrl = `${acs.url.cwmp}/`;
  const pool = new HoldingPool();
  cleanup.defer(() => pool.close());
  const auths = Array.from({ length: devices }, () => new ClientAuth('digest'));
  const serial = (d: number) => `CONN${String(d).padStart(5, '0')}`;
  // Each identity registers first; those connections are closed again, the measured ones are not.
  await Promise.all(auths.map((a, d) => session(acsUrl, pool, a, serial(d))));
  await pool.close();
  await new Promise((r) => setTimeout(r, 2000));
  const before = await footprint(acs);
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    auths.map(async (auth, d) => {
      while (next < connections) {
        next += 1;
        await session(acsUrl, pool, auth, serial(d));
      }
    }),
  );
  const openSeconds = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 5000));
  const held = await footprint(acs);
  const open = pool.held.filter((c) => !c.closed && !c.destroyed).length;
  report('connections', {
    store: stores.label,
    connections,
    devices,
    keepAliveSeconds: KEEP_ALIVE_S,
    openSeconds: round(openSeconds),
    openOnClientSide: open,
    acsBefore: before,
    acsWithConnectionsOpen: held,
    perConnection: { rssKB: round(((held.rssMB - before.rssMB) * 1024) / connections, 2), heapKB: round(((held.heapUsedMB - before.heapUsedMB) * 1024) / connections, 2), fds: round((held.fds - before.fds) / connections, 3) },
  });
});
