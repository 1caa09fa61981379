import { applySchema, type Migration } from '../src/stores/migration';

/**
 * The file service and Cisco provisioning: GridFS bucket `files`, the transfer log, the MAC
 * directory, desired and reported Cisco state, mapping overrides and learned data models.
 * The GridFS indexes are the ones the driver would create at the first upload.
 */
const migration: Migration = {
  id: 3,
  name: 'files-and-provisioning',
  up: (db) => applySchema(db, 3),
};

export default migration;
