import { applySchema, type Migration } from '../src/stores/migration';

/**
 * The last sessions of each device (cwmp/trace): at most ACS_TRACE_SESSIONS_PER_DEVICE
 * documents per device, read and written by `_id`, removed by a TTL index on `expiresAt` (left
 * out where the store has none: reads skip expired traces).
 */
const migration: Migration = {
  id: 5,
  name: 'session-traces',
  up: (db) => applySchema(db, 5),
};

export default migration;
