/**
 * Zero-touch provisioning: the effective desired state of each device (profiles, the device's
 * own parameters and variables), the reconciler that brings devices to it inside their CWMP
 * sessions (configuration and firmware), drift and history.
 */
import { DeviceRepository } from '../devices/repository';
import { FileStore, UrlSigner } from '../files';
import { FirmwarePolicyStore } from '../firmware/store';
import { DataModelDiscovery } from '../provisioning/datamodel';
import { MappingOverrideStore } from '../provisioning/mapping-overrides';
import type { AppContext } from '../roles/context';
import { TaskRepository } from '../tasks/repository';
import { AppliedStore } from './applied';
import { EffectiveDesiredConfig } from './effective';
import { HistoryStore } from './history';
import { ProvisioningReconciler } from './reconciler';
import { ChangeMarker, ProvisioningSnapshot } from './snapshot';

export interface Provisioning {
  snapshot: ProvisioningSnapshot;
  marker: ChangeMarker;
  effective: EffectiveDesiredConfig;
  reconciler: ProvisioningReconciler;
  close(): Promise<void>;
}

/** Loads profiles and firmware policies into memory, keeps them fresh, and builds the reconciler. */
export async function startProvisioning(ctx: AppContext): Promise<Provisioning> {
  const { db, config } = ctx;
  const log = ctx.log.child({ part: 'provisioning' });
  const marker = new ChangeMarker(ctx.redis, config.redisPrefix);
  const snapshot = new ProvisioningSnapshot(db, marker, log);
  await snapshot.start(config.provisioning.pollMs);
  const effective = new EffectiveDesiredConfig(db, async () => snapshot.profiles);
  const tasks = new TaskRepository(db);
  const devices = new DeviceRepository(db);
  const mappings = new MappingOverrideStore(db);
  const files = new FileStore(db, config.fs.maxFileBytes);
  const reconciler = new ProvisioningReconciler({
    db,
    devices,
    snapshot,
    effective,
    tasks,
    files,
    signer: new UrlSigner(ctx.secret, config.publicFsUrl),
    mappings,
    datamodels: new DataModelDiscovery(db, tasks, devices, mappings),
    firmware: new FirmwarePolicyStore(db, files, () => marker.bump('firmware')),
    history: new HistoryStore(db),
    applied: new AppliedStore(db),
    log,
    valueMaxAgeMs: config.provisioning.valueMaxAgeSeconds * 1000,
    urlWindowSeconds: config.fs.urlWindowSeconds,
    caFileType: config.fs.caFileType,
  });
  return { snapshot, marker, effective, reconciler, close: () => snapshot.stop() };
}

export { EffectiveDesiredConfig, profilesFromDb, factsOf, keyFor, BASICS_PROJECTION, type EffectiveState, type DeviceBasics } from './effective';
export { ChangeMarker, ProvisioningSnapshot, type SnapshotKind, type ProfilesView } from './snapshot';
export { ProvisioningReconciler } from './reconciler';
export { HistoryStore, type HistoryDoc, type ChangeEntry } from './history';
export { ProvisioningInspector, type EffectiveView } from './inspect';
export { driftOf, type DriftItem } from './drift';
export { AppliedStore } from './applied';
export { MatchingDeviceFinder, selectorFilter, type MatchingDevices } from './matching-devices';
export { PROVISIONING_ACTOR, type ProvisionState, type ProvisionFailure } from './types';
