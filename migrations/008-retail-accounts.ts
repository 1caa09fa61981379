import { applySchema, type Migration } from '../src/stores/migration';

/**
 * Retail accounts and the phones bound to them (src/accounts/store.ts): both read and written
 * by `_id` only (the account code; the phone's MAC), so no index beyond `_id`.
 */
const migration: Migration = {
  id: 8,
  name: 'retail-accounts',
  up: (db) => applySchema(db, 8),
};

export default migration;
