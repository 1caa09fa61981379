import { DeviceRepository } from '../devices/repository';
import { FileStore, UrlSigner } from '../files';
import { FirmwarePolicyStore } from '../firmware/store';
import { DataModelDiscovery } from './flows/datamodel';
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
