import type { Db } from 'mongodb';
import type { Config } from '../config';
import type { DeviceRepository } from '../devices/repository';
import type { FileStore, UrlSigner } from '../files';
import type { FirmwarePolicyStore } from '../firmware/store';
import type { Logger } from '../log';
import type { DeviceVariablesStore } from '../profiles/device-variables';
import type { TaskRepository } from '../tasks/repository';
import { EffectiveDesiredConfig } from './desired/effective';
import { ProvisioningSnapshot, type ChangeMarker } from './desired/snapshot';
import { ProvisioningReconciler } from './execute/reconciler';
import type { DataModelDiscovery } from './flows/datamodel';
import { queueConfigDownload, queueFirmwareDownload, type DownloadFlowDeps } from './flows/downloads';
import type { AppliedStore } from './stores/applied';
import type { StoredDesiredConfig } from './stores/desired';
import { DeviceProvisionStore } from './stores/devices';
import type { HistoryStore } from './stores/history';
import type { MappingOverrideStore } from './stores/mapping-overrides';

export interface Provisioning {
  snapshot: ProvisioningSnapshot;
  marker: ChangeMarker;
  effective: EffectiveDesiredConfig;
  reconciler: ProvisioningReconciler;
  close(): Promise<void>;
}

/** The process's shared stores provisioning works with (built once, by roles/compose.ts). */
export interface ProvisioningDeps {
  db: Db;
  config: Pick<Config, 'provisioning' | 'fs' | 'publicFsUrl'>;
  log: Logger;
  marker: ChangeMarker;
  devices: DeviceRepository;
  tasks: TaskRepository;
  files: FileStore;
  signer: UrlSigner;
  mappings: MappingOverrideStore;
  datamodels: DataModelDiscovery;
  firmware: FirmwarePolicyStore;
  history: HistoryStore;
  applied: AppliedStore;
  desired: StoredDesiredConfig;
  variables: DeviceVariablesStore;
}

/** Loads profiles and firmware policies into memory, keeps them fresh, and builds the reconciler. */
export async function startProvisioning(d: ProvisioningDeps): Promise<Provisioning> {
  const { db, config, marker, tasks } = d;
  const log = d.log.child({ part: 'provisioning' });
  const snapshot = new ProvisioningSnapshot(db, marker, log);
  await snapshot.start(config.provisioning.pollMs);
  const effective = new EffectiveDesiredConfig(async () => snapshot.profiles, d.desired, d.variables, d.devices);
  const flows: DownloadFlowDeps = {
    tasks: { queue: (deviceId, rpc, o) => tasks.queue(deviceId, rpc, { expiresAt: o.expiresAt, expect: o.expect, createdBy: o.createdBy }) },
    devices: d.devices,
    files: d.files,
    signer: d.signer,
    desired: effective,
    urlWindowSeconds: config.fs.urlWindowSeconds,
    caFileType: config.fs.caFileType,
  };
  const reconciler = new ProvisioningReconciler({
    devices: new DeviceProvisionStore(d.devices),
    snapshot,
    effective,
    downloads: {
      config: (deviceId, options) => queueConfigDownload(flows, deviceId, options),
      firmware: (deviceId, fileId, options) => queueFirmwareDownload(flows, deviceId, fileId, options),
    },
    faults: tasks,
    mappings: d.mappings,
    datamodels: d.datamodels,
    rollouts: d.firmware,
    history: d.history,
    applied: d.applied,
    log,
    valueMaxAgeMs: config.provisioning.valueMaxAgeSeconds * 1000,
  });
  return { snapshot, marker, effective, reconciler, close: () => snapshot.stop() };
}
