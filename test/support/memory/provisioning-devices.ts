import type { ParamTree } from '../../../src/devices/types';
import type { ProvisionDevices } from '../../../src/provisioning/stores/devices';
import { PROVISIONED_PROJECTION, type ProvisionedDevice, type ProvisionState } from '../../../src/provisioning/types';
import type { MemoryDevices } from './devices';

const NO_PARAMS = { set: {}, unset: [] };

/**
 * Provisioning's view of the device documents in memory, over the MemoryDevices the session
 * engine's tests use (one device store for both). The provisioning-devices conformance contract
 * holds it and DeviceProvisionStore on FerretDB to one behaviour.
 */
export class MemoryProvisionDevices implements ProvisionDevices {
  constructor(readonly devices: MemoryDevices) {}

  async get(deviceId: string): Promise<ProvisionedDevice | undefined> {
    return ((await this.devices.get(deviceId, PROVISIONED_PROJECTION)) as ProvisionedDevice | null) ?? undefined;
  }

  async tree(deviceId: string): Promise<ParamTree> {
    return (await this.devices.getWithParams(deviceId))?.params ?? {};
  }

  async update(deviceId: string, set: Partial<ProvisionState>, unset: ReadonlyArray<keyof ProvisionState> = []): Promise<void> {
    const fields = Object.fromEntries(Object.entries(set).map(([k, v]) => [`provision.${k}`, v]));
    await this.devices.apply(deviceId, { summary: { set: fields, unset: unset.map((k) => `provision.${k}`) }, params: NO_PARAMS });
  }

  async settleFirmware(deviceId: string, taskId: string | undefined, status: 'done' | 'fault', at: Date): Promise<boolean> {
    const fw = (await this.get(deviceId))?.provision?.firmware;
    if (!fw || fw.status !== 'pending' || fw.taskId !== taskId) return false;
    await this.devices.apply(deviceId, { summary: { set: { 'provision.firmware.status': status, 'provision.firmware.at': at }, unset: [] }, params: NO_PARAMS });
    return true;
  }
}
