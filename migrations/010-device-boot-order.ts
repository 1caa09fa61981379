import type { Migration } from '../src/stores/migration';

/** The device list sorted by last boot pages by keyset on (lastBootAt, _id), as migration 002 does for the other sorts. */
const migration: Migration = {
  id: 10,
  name: 'device-boot-order',
  async up(db) {
    await db.collection('devices').createIndexes([{ key: { lastBootAt: 1, _id: 1 } }]);
  },
};

export default migration;
