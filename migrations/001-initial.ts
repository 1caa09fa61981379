import { applySchema, type Migration } from '../src/stores/migration';

/** Collections of the first release and the indexes their queries use on MongoDB. */
const migration: Migration = {
  id: 1,
  name: 'initial',
  up: (db) => applySchema(db, 1),
};

export default migration;
