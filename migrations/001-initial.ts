import { ensureCollection, type Migration } from '../src/stores/migration';

/** Collections of the first release and the indexes their queries use on MongoDB. */
const migration: Migration = {
  id: 1,
  name: 'initial',
  async up(db) {
    for (const name of ['devices', 'device_params', 'tasks', 'settings']) await ensureCollection(db, name);
    await db.collection('devices').createIndexes([
      { key: { 'deviceId.productClass': 1 } },
      { key: { 'deviceId.oui': 1 } },
      { key: { 'deviceId.serialNumber': 1 } },
      { key: { softwareVersion: 1 } },
      { key: { lastInformAt: 1 } },
      { key: { registeredAt: 1 } },
      { key: { tags: 1 } },
    ]);
    await db.collection('tasks').createIndexes([
      { key: { deviceId: 1, status: 1, createdAt: 1 } },
      { key: { status: 1, expiresAt: 1 } },
      { key: { status: 1, sessionId: 1 } },
      { key: { jobId: 1, status: 1 } },
    ]);
  },
};

export default migration;
