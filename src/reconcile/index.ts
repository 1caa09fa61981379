/**
 * Zero-touch provisioning: the effective desired state of each device (profiles, the device's
 * own parameters and variables), the reconciler that brings devices to it inside their CWMP
 * sessions (configuration and firmware), drift and history.
 */
import type { Db } from 'mongodb';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { StoredDesiredConfig } from '../provisioning/desired';
import type { DeviceVariablesStore } from '../profiles';
import { EffectiveDesiredConfig } from './effective';
import { ProvisioningReconciler, type ReconcilerDeps } from './reconciler';
import { ProvisioningSnapshot, type ChangeMarker } from './snapshot';

export interface Provisioning {
  snapshot: ProvisioningSnapshot;
  marker: ChangeMarker;
  effective: EffectiveDesiredConfig;
  reconciler: ProvisioningReconciler;
  close(): Promise<void>;
}

/** The process's shared stores the reconciler works with (built once, by roles/compose.ts). */
export interface ProvisioningDeps extends Pick<ReconcilerDeps, 'devices' | 'tasks' | 'files' | 'signer' | 'mappings' | 'datamodels' | 'firmware' | 'history' | 'applied'> {
  db: Db;
  config: Pick<Config, 'provisioning' | 'fs'>;
  log: Logger;
  marker: ChangeMarker;
  desired: StoredDesiredConfig;
  variables: DeviceVariablesStore;
}

/** Loads profiles and firmware policies into memory, keeps them fresh, and builds the reconciler. */
export async function startProvisioning(d: ProvisioningDeps): Promise<Provisioning> {
  const { db, config, marker } = d;
  const log = d.log.child({ part: 'provisioning' });
  const snapshot = new ProvisioningSnapshot(db, marker, log);
  await snapshot.start(config.provisioning.pollMs);
  const effective = new EffectiveDesiredConfig(db, async () => snapshot.profiles, d.desired, d.variables);
  const reconciler = new ProvisioningReconciler({
    db,
    devices: d.devices,
    snapshot,
    effective,
    tasks: d.tasks,
    files: d.files,
    signer: d.signer,
    mappings: d.mappings,
    datamodels: d.datamodels,
    firmware: d.firmware,
    history: d.history,
    applied: d.applied,
    log,
    valueMaxAgeMs: config.provisioning.valueMaxAgeSeconds * 1000,
    urlWindowSeconds: config.fs.urlWindowSeconds,
    caFileType: config.fs.caFileType,
  });
  return { snapshot, marker, effective, reconciler, close: () => snapshot.stop() };
}

export { EffectiveDesiredConfig, factsOf, keyFor, BASICS_PROJECTION, type EffectiveState, type DeviceBasics } from './effective';
export { ChangeMarker, ProvisioningSnapshot, type SnapshotKind, type ProfilesView } from './snapshot';
export { ProvisioningReconciler } from './reconciler';
export { HistoryStore, type HistoryDoc, type ChangeEntry } from './history';
export { ProvisioningInspector, type EffectiveView } from './inspect';
export { driftOf, type DriftItem } from './drift';
export { AppliedStore } from './applied';
export { MatchingDeviceFinder, selectorFilter, type MatchingDevices } from './matching-devices';
export { PROVISIONING_ACTOR, type ProvisionState, type ProvisionFailure } from './types';
