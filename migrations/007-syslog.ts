import { applySchema, type Migration } from '../src/stores/migration';

/** The syslog role's provisioning events: one document per device, read and written by `_id`. */
const migration: Migration = {
  id: 7,
  name: 'syslog',
  up: (db) => applySchema(db, 7),
};

export default migration;
