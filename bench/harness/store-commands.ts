import { connectMongo } from '../../src/stores';
import type { Cleanup } from './run';

/** What drivers send on their own (handshakes, heartbeats, probes) and this counter's own reads. */
const NOT_COUNTED = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'serverStatus', 'buildInfo', 'buildinfo', 'getParameter', 'saslStart', 'saslContinue', 'endSessions', 'getLog', 'getCmdLineOpts', 'replSetGetStatus', 'replSetHeartbeat', 'connectionStatus']);

/**
 * The commands a MongoDB server (or FerretDB) has served, by name, as its `serverStatus`
 * counts them (`metrics.commands.<name>.total`, the same in both): the count at the store,
 * so that the ACS needs no command monitoring of its own, which would add to the CPU the bench
 * measures. It counts every client's commands: on a shared MongoDB, others' too.
 */
export async function storeCommandCounter(cleanup: Cleanup, mongodbUrl: string): Promise<() => Promise<Record<string, number>>> {
  const { client, db } = await connectMongo(mongodbUrl, { maxPoolSize: 1 });
  cleanup.defer(() => client.close());
  return async () => {
    const status = await db.admin().command({ serverStatus: 1 });
    const commands = (status.metrics?.commands ?? {}) as Record<string, { total?: unknown }>;
    const out: Record<string, number> = {};
    for (const [name, counts] of Object.entries(commands)) {
      const n = Number(counts?.total ?? 0);
      if (!NOT_COUNTED.has(name) && n > 0) out[name] = n;
    }
    return out;
  };
}
