import { applySchema, type Migration } from '../src/stores/migration';

/**
 * Zero-touch provisioning: profiles and their revisions, per-device variables, what was
 * delivered by file, the change history, and firmware policies with their rollouts. The
 * indexes serve the API's reads on MongoDB (a profile's revisions, a device's history, the
 * devices of a rollout); sessions only ever read these collections by `_id`.
 */
const migration: Migration = {
  id: 4,
  name: 'profiles-and-firmware',
  up: (db) => applySchema(db, 4),
};

export default migration;
