import { applySchema, type Migration } from '../src/stores/migration';

/** Tasks queued through the API are stored released; this records the ones not yet announced. */
const migration: Migration = {
  id: 11,
  name: 'task-announcements',
  up: (db) => applySchema(db, 11),
};

export default migration;
