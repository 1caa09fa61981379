import { DeviceRepository } from '../devices/repository';
import { FileStore, UrlSigner } from '../files';
import { FirmwarePolicyStore } from '../firmware/store';
import { DataModelDiscovery } from './flows/datamodel';
import { queueConfigDownload, queueFirmwareDownload, type DownloadFlowDeps } from './flows/downloads';
import { DeviceProvisionStore } from './stores/devices';
import { MappingOverrideStore } from './stores/mapping-overrides';
import type { AppContext } from '../roles/context';
import { TaskRepository } from '../tasks/repository';
import { AppliedStore } from './stores/applied';
import { EffectiveDesiredConfig } from './desired/effective';
import { HistoryStore } from './stores/history';
import { ProvisioningReconciler } from './execute/reconciler';
import { ChangeMarker, ProvisioningSnapshot } from './desired/snapshot';

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
  const flows: DownloadFlowDeps = {
    tasks: { queue: (deviceId, rpc, o) => tasks.queue(deviceId, rpc, { expiresAt: o.expiresAt, expect: o.expect, createdBy: o.createdBy }) },
    devices,
    files,
    signer: new UrlSigner(ctx.secret, config.publicFsUrl),
    desired: effective,
    urlWindowSeconds: config.fs.urlWindowSeconds,
    caFileType: config.fs.caFileType,
  };
  const reconciler = new ProvisioningReconciler({
    devices: new DeviceProvisionStore(devices),
    snapshot,
    effective,
    downloads: {
      config: (deviceId, options) => queueConfigDownload(flows, deviceId, options),
      firmware: (deviceId, fileId, options) => queueFirmwareDownload(flows, deviceId, fileId, options),
    },
    faults: tasks,
    mappings,
    datamodels: new DataModelDiscovery(db, tasks, devices, mappings),
    rollouts: new FirmwarePolicyStore(db, files, () => marker.bump('firmware')),
    history: new HistoryStore(db),
    applied: new AppliedStore(db),
    log,
    valueMaxAgeMs: config.provisioning.valueMaxAgeSeconds * 1000,
  });
  return { snapshot, marker, effective, reconciler, close: () => snapshot.stop() };
}
