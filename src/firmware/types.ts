import type { MaintenanceWindow } from './windows';
import type { RolloutRules, RolloutStatus, Wave, WaveProgress } from './waves';

/**
 * The firmware policy of a product class (`firmware_policies`, `_id` = product class): the
 * target load, the path to it, when upgrades may start, and its staged rollout. Saving a
 * policy starts a new rollout (`revision`); the rollout's state and per-wave counters live in
 * the same document so that admissions and results are compare-and-set updates on `_id`.
 */
export interface FirmwarePolicyDoc {
  _id: string;
  revision: number;
  target: string;
  stages: string[];
  floor?: string;
  allowDowngrade: boolean;
  windows: MaintenanceWindow[];
  utcOffsetMinutes: number;
  rollout: RolloutRules;
  state: StoredRolloutState;
  /** the firmware file installing each load of the path (a list: versions contain dots, which field names may not) */
  files: FirmwareFileRef[];
  createdAt: Date;
  updatedAt: Date;
  updatedBy?: string;
}

export interface FirmwareFileRef {
  version: string;
  fileId: string;
  filename: string;
  size: number;
}

/** RolloutState with the per-wave counters keyed `w0`, `w1`, ... (atomic `$inc` paths). */
export interface StoredRolloutState {
  status: RolloutStatus;
  wave: number;
  population: number;
  progress: Record<string, WaveProgress>;
  reason?: string;
  changedAt: Date;
}

/** What an operator sends to set a policy. */
export interface FirmwarePolicyInput {
  target: string;
  stages?: string[];
  floor?: string;
  allowDowngrade?: boolean;
  windows?: MaintenanceWindow[];
  utcOffsetMinutes?: number;
  waves?: Wave[];
  faultThreshold?: number;
  minResults?: number;
  soakSeconds?: number;
}

/** Where a device stands in its product class's rollout (the device document's `provision.firmware`). */
export interface DeviceFirmwareState {
  /** `<productClass>@<policy revision>` */
  rollout: string;
  wave: number;
  /** the load being installed, or last installed */
  hop: string;
  /** the version the device reported before */
  from?: string;
  status: 'pending' | 'done' | 'fault';
  taskId?: string;
  at: Date;
}

export function rolloutId(productClass: string, revision: number): string {
  return `${productClass}@${revision}`;
}

export function waveKey(i: number): string {
  return `w${i}`;
}
