import type { CommandStartedEvent, Db, MongoClient } from 'mongodb';
import { createLogger } from '../../../src/log';
import { connectMongo, openDatabase } from '../../../src/stores/mongo';
import { openTestStores, type TestStores } from '../../support/stores';

/**
 * The write and read concerns of a replicated MongoDB, on the wire. The local FerretDB is a
 * standalone server, so connecting to it must skip them (and say so); what a replica set would
 * get is shown by opening the database as for a replica set's `hello` answer, on the same
 * server, and watching the commands. Replica-set behaviour itself (failover, rollback) is not
 * tested on these machines: see docs/scaling.md.
 */
let stores: TestStores;
beforeAll(async () => {
  stores = await openTestStores();
});
afterAll(async () => {
  await stores?.close();
});

/** Runs `run` on a fresh connection to the test's database, recording log lines and commands. */
async function watched(run: (c: { client: MongoClient; db: Db; started: CommandStartedEvent[] }) => Promise<void>): Promise<{ lines: Array<Record<string, unknown>>; started: CommandStartedEvent[] }> {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const started: CommandStartedEvent[] = [];
  const { client, db } = await connectMongo(stores.mongodbUrl, { monitorCommands: true, log });
  client.on('commandStarted', (e) => started.push(e));
  try {
    await run({ client, db, started });
  } finally {
    await client.close();
  }
  return { lines, started };
}

it('on a standalone server the concerns are skipped with one log line, and writes carry none', async () => {
  let written: CommandStartedEvent | undefined;
  const { lines } = await watched(async ({ db, started }) => {
    await db.collection('concerns').insertOne({ _id: 'standalone' } as never);
    written = started.find((e) => e.commandName === 'insert');
  });
  expect(lines.filter((l) => String(l.event).startsWith('mongo.concerns'))).toEqual([
    expect.objectContaining({ event: 'mongo.concerns_skipped', topology: 'standalone', reason: 'the server is neither a replica set nor mongos' }),
  ]);
  expect(written).toBeDefined();
  expect(written!.command.writeConcern).toBeUndefined();
});

it('as for a replica set, every write asks for a journaled majority and every read for majority', async () => {
  const { started } = await watched(async ({ client }) => {
    const db = openDatabase(client, stores.mongodbUrl, { isWritablePrimary: true, setName: 'rs0' });
    const tasks = db.collection<{ _id: string; status: string }>('concerns');
    await tasks.insertOne({ _id: 'task', status: 'pending' });
    await tasks.updateOne({ _id: 'task' }, { $set: { status: 'done' } });
    expect(await tasks.findOne({ _id: 'task' })).toEqual({ _id: 'task', status: 'done' });
  });
  const byName = (name: string) => started.filter((e) => e.commandName === name);
  for (const write of [...byName('insert'), ...byName('update')]) expect(write.command.writeConcern).toEqual({ w: 'majority', j: true, wtimeout: 10_000 });
  expect(byName('insert')).toHaveLength(1);
  expect(byName('update')).toHaveLength(1);
  expect(byName('find').map((e) => e.command.readConcern)).toEqual([{ level: 'majority' }]);
});
