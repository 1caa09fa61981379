import { applySchema, type Migration } from '../src/stores/migration';

/**
 * The operator API and bulk jobs: API tokens, the audit log, jobs and their planned device
 * chunks, and the indexes the API's lists and the workers' queries use on MongoDB. The device
 * list pages by keyset on (sort field, _id), so each filterable or sortable field gets a
 * compound index ending in `_id`: a page is then an index range scan of `limit` entries.
 * (FerretDB creates them too but answers every query other than an exact `_id` by scanning.)
 */
const migration: Migration = {
  id: 2,
  name: 'api-and-jobs',
  up: (db) => applySchema(db, 2),
};

export default migration;
