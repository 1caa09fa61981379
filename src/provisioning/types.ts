import type { DeviceIdStruct } from '../cwmp/soap/types';
import type { DeviceFirmwareState } from '../firmware/types';
import type { ReconcileView } from '../cwmp/session/reconciler';

/** The device document fields the effective state depends on. */
export interface DeviceBasics {
  _id: string;
  deviceId?: DeviceIdStruct;
  softwareVersion?: string;
  tags?: string[];
  mac?: string;
  provision?: ProvisionState;
}

export const BASICS_PROJECTION = { deviceId: 1, softwareVersion: 1, tags: 1, mac: 1, provision: 1 } as const;

/** A device as provisioning reads it: what it decides on, and what macros and the inspector show. */
export type ProvisionedDevice = DeviceBasics & { hardwareVersion?: string; remoteAddress?: string; parameterKey?: string };

export const PROVISIONED_PROJECTION = { ...BASICS_PROJECTION, hardwareVersion: 1, remoteAddress: 1, parameterKey: 1 } as const;

/**
 * Provisioning's part of the device document (`provision`), small because every session reads
 * it: which revisions of the device's own inputs exist, what was applied, what failed.
 */
export interface ProvisionState {
  /** revision of the device's own desired parameters (mirrored by StoredDesiredConfig) */
  own?: string;
  /** revision of the device's variables (mirrored by DeviceVariablesStore) */
  vars?: string;
  /**
   * Revision key last applied in full. The device's ParameterKey says the same when the plan
   * ended with a SetParameterValues; a plan without one (file only, or nothing differed)
   * leaves this as the only record.
   */
  applied?: string;
  /** a revision the device refused: not tried again until the key changes, the device bootstraps or an operator clears it */
  failed?: ProvisionFailure;
  /** a revision whose configuration file is on its way (the device accepted the Download) */
  pending?: { key: string; taskId: string; at: Date };
  firmware?: DeviceFirmwareState;
}

export interface ProvisionFailure {
  key: string;
  at: Date;
  code: number | string;
  message: string;
  /** the fault record (a task in fault) */
  taskId?: string;
}

export function provisionOf(view: ReconcileView): ProvisionState | undefined {
  return (view as { provision?: ProvisionState }).provision;
}

/** Tasks the reconciler queues carry this as `createdBy`. */
export const PROVISIONING_ACTOR = 'provisioning';
