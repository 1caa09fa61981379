import type { Tr069Mapper } from '../../cisco/mapping';
import type { AcsRequest } from '../../cwmp/soap/types';
import type { FirmwarePolicyDoc } from '../../firmware/types';
import type { Logger } from '../../log';
import type { DeviceFacts, ProfileDoc } from '../../profiles/types';
import type { TaskDoc, TaskFault } from '../../tasks/types';
import type { EffectiveState } from '../plan/effective';
import type { AppliedFiles } from '../stores/applied';
import type { ProvisionDevices } from '../stores/devices';
import type { HistoryLog } from '../stores/history';
import type { DeviceBasics } from '../types';

/**
 * What the reconciler reads and writes through, each a small interface of our own: the
 * process's wiring (start.ts) passes the stores, unit tests pass in-memory versions
 * (test/support/memory/provisioning-*.ts).
 */
export interface ReconcilerPorts {
  devices: ProvisionDevices;
  /** profiles and firmware policies, from memory (desired/snapshot.ts) */
  snapshot: { matchProfiles(facts: DeviceFacts): ProfileDoc[]; policy(productClass: string): FirmwarePolicyDoc | undefined };
  effective: { resolve(device: DeviceBasics): Promise<EffectiveState> };
  /** queue the Download tasks (flows/downloads.ts); a DownloadFlowError says why one cannot be */
  downloads: {
    config(deviceId: string, options: QueueOptions): Promise<TaskDoc>;
    firmware(deviceId: string, fileId: string, options: QueueOptions): Promise<TaskDoc>;
  };
  /** records a refused request as a task in fault (TaskRepository) */
  faults: { recordFault(deviceId: string, rpc: AcsRequest, fault: TaskFault, now: Date, createdBy: string): Promise<TaskDoc> };
  mappings: { mapper(productClass: string): Promise<Tr069Mapper> };
  datamodels: { paths(productClass: string, softwareVersion: string): Promise<ReadonlySet<string> | undefined> };
  rollouts: FirmwareRollouts;
  history: Pick<HistoryLog, 'record'>;
  applied: AppliedFiles;
  log: Logger;
  /** known values older than this are read again before they are compared */
  valueMaxAgeMs: number;
}

/** A firmware policy's waves (FirmwarePolicyStore): admitting a device, counting its result. */
export interface FirmwareRollouts {
  admit(productClass: string, revision: number, now: Date): Promise<number | undefined>;
  recordResult(productClass: string, revision: number, wave: number, ok: boolean, now: Date): Promise<void>;
}

export interface QueueOptions {
  createdBy: string;
  expiresAt: Date;
  now: Date;
}
