import type { IndexDescription } from 'mongodb';

/**
 * Every MongoDB collection of the ACS, by the name code uses for it. Stores open their
 * collections through these names and migrations create them from `SCHEMA`, so a name is
 * spelled once.
 */
/** The GridFS bucket of uploaded files (its collections are `<bucket>.files` and `<bucket>.chunks`). */
export const FILES_BUCKET = 'files';

export const COLLECTIONS = {
  devices: 'devices',
  deviceParams: 'device_params',
  deviceSearch: 'device_search',
  deviceMacs: 'device_macs',
  tasks: 'tasks',
  taskAnnouncements: 'task_announcements',
  settings: 'settings',
  migrations: 'migrations',
  jobs: 'jobs',
  jobChunks: 'job_chunks',
  apiTokens: 'api_tokens',
  audit: 'audit',
  fileDocuments: `${FILES_BUCKET}.files`,
  fileChunks: `${FILES_BUCKET}.chunks`,
  fileTransfers: 'file_transfers',
  ciscoDesired: 'cisco_desired',
  ciscoDesiredRevisions: 'cisco_desired_revisions',
  ciscoReports: 'cisco_reports',
  ciscoMappings: 'cisco_mappings',
  ciscoDataModels: 'cisco_datamodels',
  profiles: 'profiles',
  profileRevisions: 'profile_revisions',
  deviceVariables: 'device_variables',
  deviceApplied: 'device_applied',
  provisioningHistory: 'provisioning_history',
  firmwarePolicies: 'firmware_policies',
  sessionTraces: 'session_traces',
  users: 'users',
  syslogEvents: 'syslog_events',
  ciscoAccounts: 'cisco_accounts',
  ciscoAccountBindings: 'cisco_account_bindings',
  versionSnapshots: 'version_snapshots',
} as const;

export type CollectionKey = keyof typeof COLLECTIONS;

/** One step of the schema: the collections a migration creates and the indexes it adds. */
export interface SchemaStep {
  collections?: CollectionKey[];
  indexes?: Partial<Record<CollectionKey, IndexDescription[]>>;
  /** indexes, by name, that a later step made redundant (dropped where they exist) */
  dropIndexes?: Partial<Record<CollectionKey, string[]>>;
}

/**
 * The schema, by the id of the migration that applies each step (`applySchema`). A step that
 * shipped never changes, since databases already hold it: a new collection or index is a new
 * step with a new migration. Indexes serve MongoDB; FerretDB creates them but answers every
 * query other than an exact `_id` by scanning (README.md).
 */
export const SCHEMA: Readonly<Record<number, SchemaStep>> = {
  1: {
    collections: ['devices', 'deviceParams', 'tasks', 'settings'],
    indexes: {
      devices: [
        { key: { 'deviceId.productClass': 1 } },
        { key: { 'deviceId.oui': 1 } },
        { key: { 'deviceId.serialNumber': 1 } },
        { key: { softwareVersion: 1 } },
        { key: { lastInformAt: 1 } },
        { key: { registeredAt: 1 } },
        { key: { tags: 1 } },
      ],
      tasks: [
        { key: { deviceId: 1, status: 1, createdAt: 1 } },
        { key: { status: 1, expiresAt: 1 } },
        { key: { status: 1, sessionId: 1 } },
        { key: { jobId: 1, status: 1 } },
      ],
    },
  },
  // The device list pages by keyset on (sort field, _id), so each filterable or sortable field
  // gets a compound index ending in `_id`: a page is then an index range scan of `limit` entries.
  2: {
    collections: ['jobs', 'jobChunks', 'apiTokens', 'audit'],
    indexes: {
      devices: [
        { key: { 'deviceId.productClass': 1, _id: 1 } },
        { key: { 'deviceId.oui': 1, _id: 1 } },
        { key: { 'deviceId.serialNumber': 1, _id: 1 } },
        { key: { softwareVersion: 1, _id: 1 } },
        { key: { tags: 1, _id: 1 } },
        { key: { lastInformAt: 1, _id: 1 } },
        { key: { registeredAt: 1, _id: 1 } },
      ],
      tasks: [
        { key: { deviceId: 1, _id: 1 } },
        { key: { jobId: 1, _id: 1 } },
        { key: { status: 1, _id: 1 } },
        // the reconciler: held tasks, and connection requests no worker took
        { key: { status: 1, releasedAt: 1, updatedAt: 1 } },
        { key: { 'connectionRequest.status': 1, 'connectionRequest.queuedAt': 1 } },
      ],
      jobs: [{ key: { state: 1 } }],
      jobChunks: [{ key: { jobId: 1, seq: 1 } }],
      audit: [{ key: { 'actor.tokenId': 1, _id: -1 } }, { key: { action: 1, _id: -1 } }, { key: { target: 1, _id: -1 } }],
    },
  },
  // The GridFS indexes are the ones the driver would create at the first upload.
  3: {
    collections: ['fileDocuments', 'fileChunks', 'fileTransfers', 'deviceMacs', 'ciscoDesired', 'ciscoDesiredRevisions', 'ciscoReports', 'ciscoMappings', 'ciscoDataModels'],
    indexes: {
      fileDocuments: [{ key: { filename: 1, uploadDate: 1 } }, { key: { 'metadata.kind': 1 } }],
      fileChunks: [{ key: { files_id: 1, n: 1 }, unique: true }],
      fileTransfers: [{ key: { deviceId: 1, at: -1 } }, { key: { at: -1 } }],
      deviceMacs: [{ key: { deviceId: 1 } }],
    },
  },
  // Sessions read these only by `_id`; the indexes serve the API (a profile's revisions, a
  // device's history, the devices of a rollout).
  4: {
    collections: ['profiles', 'profileRevisions', 'deviceVariables', 'deviceApplied', 'provisioningHistory', 'firmwarePolicies'],
    indexes: {
      profileRevisions: [{ key: { name: 1, revision: -1 } }],
      provisioningHistory: [{ key: { deviceId: 1, _id: -1 } }],
      devices: [{ key: { 'provision.firmware.rollout': 1, 'provision.firmware.status': 1 } }],
    },
  },
  // A TTL index: where the store has none (FerretDB), readers skip expired traces.
  5: {
    collections: ['sessionTraces'],
    indexes: { sessionTraces: [{ key: { expiresAt: 1 }, expireAfterSeconds: 0, name: 'expiresAt_ttl' }] },
  },
  6: { collections: ['users', 'deviceSearch'] },
  7: { collections: ['syslogEvents'] },
  8: { collections: ['ciscoAccounts', 'ciscoAccountBindings'] },
  9: {
    collections: ['versionSnapshots'],
    indexes: { fileTransfers: [{ key: { fileId: 1, at: -1 } }] },
  },
  // The device list sorted by last boot pages by keyset on (lastBootAt, _id), as step 2 does for the other sorts.
  10: { indexes: { devices: [{ key: { lastBootAt: 1, _id: 1 } }] } },
  // Tasks the API stores already released, until their devices' queues name them
  // (`TaskRepository.announcing`): small, read only by the reconciler and by `_id`.
  11: { collections: ['taskAnnouncements'] },
  // Step 1's single-field device indexes are prefixes of step 2's (field, _id) ones, which
  // serve every query they served (MongoDB: an index that is the prefix of a compound index
  // is redundant unless unique or sparse; SQLite the same). Every write of a device paid for
  // them: on FerretDB an update recomputes every index's expression, a quarter of the
  // device announcement's cost (bench/RESULTS.md, issue 17 item 3).
  12: {
    dropIndexes: {
      devices: ['deviceId.productClass_1', 'deviceId.oui_1', 'deviceId.serialNumber_1', 'softwareVersion_1', 'lastInformAt_1', 'registeredAt_1', 'tags_1'],
    },
  },
};
