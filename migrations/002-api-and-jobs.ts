import { ensureCollection, type Migration } from '../src/stores/migration';

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
  async up(db) {
    for (const name of ['jobs', 'job_chunks', 'api_tokens', 'audit']) await ensureCollection(db, name);
    await db.collection('devices').createIndexes([
      { key: { 'deviceId.productClass': 1, _id: 1 } },
      { key: { 'deviceId.oui': 1, _id: 1 } },
      { key: { 'deviceId.serialNumber': 1, _id: 1 } },
      { key: { softwareVersion: 1, _id: 1 } },
      { key: { tags: 1, _id: 1 } },
      { key: { lastInformAt: 1, _id: 1 } },
      { key: { registeredAt: 1, _id: 1 } },
    ]);
    await db.collection('tasks').createIndexes([
      { key: { deviceId: 1, _id: 1 } },
      { key: { jobId: 1, _id: 1 } },
      { key: { status: 1, _id: 1 } },
      // the reconciler: held tasks, and connection requests no worker took
      { key: { status: 1, releasedAt: 1, updatedAt: 1 } },
      { key: { 'connectionRequest.status': 1, 'connectionRequest.queuedAt': 1 } },
    ]);
    await db.collection('jobs').createIndexes([{ key: { state: 1 } }]);
    await db.collection('job_chunks').createIndexes([{ key: { jobId: 1, seq: 1 } }]);
    await db.collection('audit').createIndexes([{ key: { 'actor.tokenId': 1, _id: -1 } }, { key: { action: 1, _id: -1 } }, { key: { target: 1, _id: -1 } }]);
  },
};

export default migration;
