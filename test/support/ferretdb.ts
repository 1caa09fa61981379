/**
 * A FerretDB process of the tests' own (the patched local build), on a data directory the test
 * chooses, with Go's expvar counters readable: for tests of what the build's patches do inside
 * FerretDB. Only where the run's store is that FerretDB (no MONGODB_URL, no mongod).
 */
import { MongoClient } from 'mongodb';
import { ensureFerretdbBinary } from '../../tools/local-stores/ferretdb/build';
import { SQLITE_PARAMS } from '../../tools/local-stores';
import { findExecutable, freePort, startService, waitUntilReady, type Service } from '../../tools/local-stores/process';
import { mongoAnswers } from '../../src/stores/mongo';

export const ownFerretdb = !process.env.MONGODB_URL && !findExecutable('mongod');

export interface OwnFerretdb {
  service: Service;
  client: MongoClient;
  /** one of FerretDB's expvar counters (/debug/vars), e.g. acs_sort_proof_scans */
  counter(name: string): Promise<number>;
}

const quiet = () => undefined;

export async function startOwnFerretdb(dir: string, database: string): Promise<OwnFerretdb> {
  const binary = await ensureFerretdbBinary(quiet);
  const [port, metricsPort] = [await freePort(), await freePort()];
  const args = ['-listen-addr', `127.0.0.1:${port}`, '-sqlite-dir', dir, '-sqlite-params', SQLITE_PARAMS, '-log-level', 'error', '-pprof-addr', `127.0.0.1:${metricsPort}`];
  const service = startService('ferretdb', binary, args, dir, quiet);
  const url = `mongodb://127.0.0.1:${port}/${database}`;
  await waitUntilReady(service, () => mongoAnswers(url), 60_000);
  const client = await new MongoClient(url).connect();
  return {
    service,
    client,
    async counter(name) {
      const vars = (await (await fetch(`http://127.0.0.1:${metricsPort}/debug/vars`)).json()) as Record<string, unknown>;
      if (typeof vars[name] !== 'number') throw new Error(`FerretDB has no counter ${name}`);
      return vars[name];
    },
  };
}
