import { MongoClient } from 'mongodb';
import { createLogger } from '../../../src/log';
import { concernsFor, openDatabase, topologyOf } from '../../../src/stores/mongo';

const URL = 'mongodb://127.0.0.1:1/acs';

describe('MongoDB write and read concerns by deployment', () => {
  it('reads the deployment from the hello answer', () => {
    expect(topologyOf({ isWritablePrimary: true, setName: 'rs0', hosts: ['a:27017'] })).toBe('replica-set');
    expect(topologyOf({ isWritablePrimary: true, msg: 'isdbgrid' })).toBe('sharded');
    expect(topologyOf({ isWritablePrimary: true, maxWireVersion: 21 })).toBe('standalone');
    expect(topologyOf({ isWritablePrimary: true, setName: '' })).toBe('standalone');
  });

  it('asks a replica set or mongos for majority, journaled writes and majority reads', () => {
    for (const topology of ['replica-set', 'sharded'] as const) {
      const { options, skipped } = concernsFor(topology, URL);
      expect(skipped).toBeUndefined();
      expect(options.writeConcern).toEqual({ w: 'majority', journal: true, wtimeoutMS: 10_000 });
      expect(options.readConcern?.level).toBe('majority');
    }
  });

  it('skips them on a standalone server and when the URL chooses its own, saying why', () => {
    expect(concernsFor('standalone', URL)).toEqual({ options: {}, skipped: expect.stringMatching(/neither a replica set nor mongos/) });
    for (const url of [`${URL}?w=1`, `${URL}?readConcernLevel=local`, `${URL}?JOURNAL=false`]) {
      expect(concernsFor('replica-set', url)).toEqual({ options: {}, skipped: expect.stringMatching(/connection string sets its own/) });
    }
  });

  it('opens the database with them and logs one line either way', () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    // client.db() does not connect: the options are what every operation of the Db will send.
    const client = new MongoClient(URL, { retryWrites: true });
    const replicated = openDatabase(client, URL, { setName: 'rs0' }, log);
    expect(replicated.databaseName).toBe('acs');
    expect(replicated.writeConcern).toMatchObject({ w: 'majority', journal: true, wtimeoutMS: 10_000 });
    expect(replicated.readConcern?.level).toBe('majority');
    const standalone = openDatabase(client, URL, { isWritablePrimary: true }, log);
    expect(standalone.writeConcern).toBeUndefined();
    expect(standalone.readConcern).toBeUndefined();
    expect(lines.map((l) => [l.event, l.topology])).toEqual([
      ['mongo.concerns', 'replica-set'],
      ['mongo.concerns_skipped', 'standalone'],
    ]);
  });
});
