import { applySchema, type Migration } from '../src/stores/migration';

/** Step 1's single-field device indexes, prefixes of step 2's (field, _id) ones: they only cost writes. */
const migration: Migration = {
  id: 12,
  name: 'drop-redundant-device-indexes',
  up: (db) => applySchema(db, 12),
};

export default migration;
