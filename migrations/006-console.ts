import { applySchema, type Migration } from '../src/stores/migration';

/**
 * The console: its users, whose name is the `_id` (unique, and each signed-in request is an
 * `_id` lookup, indexed on MongoDB and FerretDB alike), and the device search index, whose
 * `_id` starts with the searched value (a search is an `_id` range).
 */
const migration: Migration = {
  id: 6,
  name: 'console',
  up: (db) => applySchema(db, 6),
};

export default migration;
