import { createHash } from 'node:crypto';
import { CISCO_MANUFACTURER, PRODUCTS, softwareVersionOf, type DeviceIdentity, type FactorySettings } from './datamodel';
import type { DeviceProfile } from './profile';

/**
 * The factory settings of one device: identity, model facts, and the provisioning the fleet
 * gives every phone (ACS URL and credentials). ConnectionRequestURL is filled in when the
 * device is registered with a listener. The default connection-request credentials are the
 * serial number and a secret derived from the seed, so a test can recompute them.
 */
export function factorySettings(
  identity: DeviceIdentity,
  profile: DeviceProfile,
  fleet: { acsUrl: string; oui: string; seed: string },
): FactorySettings {
  const product = PRODUCTS[profile.productClass];
  if (!product) throw new RangeError(`unknown product class ${JSON.stringify(profile.productClass)}`);
  return {
    manufacturer: CISCO_MANUFACTURER,
    oui: fleet.oui,
    productClass: product.productClass,
    modelName: product.modelName,
    description: product.description,
    serialNumber: identity.serialNumber,
    macAddress: identity.macAddress,
    ipAddress: identity.ipAddress,
    hardwareVersion: product.hardwareVersion,
    softwareVersion: softwareVersionOf(product, profile.firmwareRelease),
    acsUrl: fleet.acsUrl,
    acsUsername: profile.username,
    acsPassword: profile.password,
    connectionRequestUrl: '',
    connectionRequestUsername: profile.connectionRequestUsername ?? identity.serialNumber,
    connectionRequestPassword: profile.connectionRequestPassword ?? defaultConnectionRequestPassword(fleet.seed, identity.serialNumber),
    periodicInformInterval: profile.periodicInformInterval,
    provisioningCode: profile.provisioningCode,
  };
}

export function defaultConnectionRequestPassword(seed: string, serialNumber: string): string {
  return createHash('sha256').update(`${seed}:cr:${serialNumber}`).digest('hex').slice(0, 16);
}
