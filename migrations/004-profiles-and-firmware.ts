import { ensureCollection, type Migration } from '../src/stores/migration';

/**
 * Zero-touch provisioning: profiles and their revisions, per-device variables, what was
 * delivered by file, the change history, and firmware policies with their rollouts. The
 * indexes serve the API's reads on MongoDB (a profile's revisions, a device's history, the
 * devices of a rollout); sessions only ever read these collections by `_id`.
 */
const migration: Migration = {
  id: 4,
  name: 'profiles-and-firmware',
  async up(db) {
    const collections = ['profiles', 'profile_revisions', 'device_variables', 'device_applied', 'provisioning_history', 'firmware_policies'];
    for (const name of collections) await ensureCollection(db, name);
    await db.collection('profile_revisions').createIndexes([{ key: { name: 1, revision: -1 } }]);
    await db.collection('provisioning_history').createIndexes([{ key: { deviceId: 1, _id: -1 } }]);
    await db.collection('devices').createIndexes([{ key: { 'provision.firmware.rollout': 1, 'provision.firmware.status': 1 } }]);
  },
};

export default migration;
