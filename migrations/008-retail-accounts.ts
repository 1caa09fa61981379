import { ensureCollection, type Migration } from '../src/stores/migration';

/**
 * Retail accounts and the phones bound to them (src/accounts/store.ts): both read and written
 * by `_id` only (the account code; the phone's MAC), so no index beyond `_id`.
 */
const migration: Migration = {
  id: 8,
  name: 'retail-accounts',
  async up(db) {
    await ensureCollection(db, 'cisco_accounts');
    await ensureCollection(db, 'cisco_account_bindings');
  },
};

export default migration;
