import { ensureCollection, type Migration } from '../src/stores/migration';

/**
 * Console users. The user name is the `_id`, which makes it unique and makes the lookup each
 * signed-in request does an `_id` lookup (indexed on MongoDB and FerretDB alike).
 */
const migration: Migration = {
  id: 5,
  name: 'console-users',
  async up(db) {
    await ensureCollection(db, 'users');
  },
};

export default migration;
