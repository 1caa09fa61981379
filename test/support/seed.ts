import type { FleetDevice } from '../../src/sim';
import type { SeedDevice } from '../../bench/api-seed';

export { seedDevices, type SeedDevice } from '../../bench/api-seed';

/** Seed entries for simulated phones: the ACS knows them (and their ConnectionRequestURL) before their first session. */
export function fromFleet(devices: readonly FleetDevice[], extra: Partial<SeedDevice> = {}): SeedDevice[] {
  return devices.map((d) => ({
    serialNumber: d.serialNumber,
    productClass: d.profile.productClass,
    oui: d.model.factory.oui,
    softwareVersion: String(d.model.get('Device.DeviceInfo.SoftwareVersion')),
    connectionRequestUrl: d.connectionRequestUrl,
    ...extra,
  }));
}
