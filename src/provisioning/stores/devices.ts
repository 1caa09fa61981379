import type { DeviceRepository } from '../../devices/repository';
import type { ParamTree } from '../../devices/types';
import { PROVISIONED_PROJECTION, type ProvisionedDevice, type ProvisionState } from '../types';

/**
 * The device documents as provisioning reads and writes them: its fields of the device, the
 * learned parameters, its `provision` part. Through DeviceRepository, the one code that
 * touches `devices` and `device_params`.
 */
export interface ProvisionDevices {
  get(deviceId: string): Promise<ProvisionedDevice | undefined>;
  tree(deviceId: string): Promise<ParamTree>;
  update(deviceId: string, set: Partial<ProvisionState>, unset?: ReadonlyArray<keyof ProvisionState>): Promise<void>;
  /** Ends the pending firmware step of task `taskId` as done or fault; false when it is not pending (any more). */
  settleFirmware(deviceId: string, taskId: string | undefined, status: 'done' | 'fault', at: Date): Promise<boolean>;
}

export class DeviceProvisionStore implements ProvisionDevices {
  constructor(private readonly devices: DeviceRepository) {}

  async get(deviceId: string): Promise<ProvisionedDevice | undefined> {
    // The projection names provisioning's fields only: the document is read as what it asked for.
    return ((await this.devices.get(deviceId, PROVISIONED_PROJECTION)) as ProvisionedDevice | null) ?? undefined;
  }

  async tree(deviceId: string): Promise<ParamTree> {
    return ((await this.devices.paramsOf(deviceId))?.params ?? {}) as ParamTree;
  }

  update(deviceId: string, set: Partial<ProvisionState>, unset: ReadonlyArray<keyof ProvisionState> = []): Promise<void> {
    return this.devices.updateProvision(deviceId, set, unset);
  }

  settleFirmware(deviceId: string, taskId: string | undefined, status: 'done' | 'fault', at: Date): Promise<boolean> {
    return this.devices.settleProvisionFirmware(deviceId, taskId, status, at);
  }
}
