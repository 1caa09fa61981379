import { applySchema, type Migration } from '../src/stores/migration';

/** The device list sorted by last boot (`sort=lastBootAt`). */
const migration: Migration = {
  id: 10,
  name: 'device-boot-order',
  up: (db) => applySchema(db, 10),
};

export default migration;
