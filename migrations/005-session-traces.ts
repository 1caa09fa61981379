import { MongoServerError } from 'mongodb';
import { ensureCollection, type Migration } from '../src/stores/migration';

/** FerretDB answers "not implemented" to TTL indexes; reads skip expired traces there. */
const NOT_IMPLEMENTED = 238;

/**
 * The last sessions of each device (cwmp/trace): at most ACS_TRACE_SESSIONS_PER_DEVICE
 * documents per device, read and written by `_id`, removed by a TTL index on `expiresAt`.
 */
const migration: Migration = {
  id: 5,
  name: 'session-traces',
  async up(db) {
    await ensureCollection(db, 'session_traces');
    try {
      await db.collection('session_traces').createIndexes([{ key: { expiresAt: 1 }, expireAfterSeconds: 0, name: 'expiresAt_ttl' }]);
    } catch (err) {
      if (!(err instanceof MongoServerError && (err.code === NOT_IMPLEMENTED || /not implemented/i.test(err.message)))) throw err;
    }
  },
};

export default migration;
