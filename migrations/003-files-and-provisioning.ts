import { ensureCollection, type Migration } from '../src/stores/migration';

/**
 * The file service and Cisco provisioning: GridFS bucket `files`, the transfer log, the MAC
 * directory, desired and reported Cisco state, mapping overrides and learned data models.
 * The GridFS indexes are the ones the driver would create at the first upload.
 */
const migration: Migration = {
  id: 3,
  name: 'files-and-provisioning',
  async up(db) {
    const collections = ['files.files', 'files.chunks', 'file_transfers', 'device_macs', 'cisco_desired', 'cisco_desired_revisions', 'cisco_reports', 'cisco_mappings', 'cisco_datamodels'];
    for (const name of collections) await ensureCollection(db, name);
    await db.collection('files.files').createIndexes([{ key: { filename: 1, uploadDate: 1 } }, { key: { 'metadata.kind': 1 } }]);
    await db.collection('files.chunks').createIndexes([{ key: { files_id: 1, n: 1 }, unique: true }]);
    await db.collection('file_transfers').createIndexes([{ key: { deviceId: 1, at: -1 } }, { key: { at: -1 } }]);
    await db.collection('device_macs').createIndexes([{ key: { deviceId: 1 } }]);
  },
};

export default migration;
