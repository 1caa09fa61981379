import type { Inform } from '../../cwmp/soap/types';
import { revisionKey } from '../../profiles/revision';
import type { DeviceFacts, ProfileDoc } from '../../profiles/types';
import type { DeviceFacts as MacroFacts } from '../render/render';
import type { DeviceBasics, ProvisionState } from '../types';

/**
 * What the planner knows of a device: the facts profiles select on, the revision key of its
 * desired state, and the facts macros expand to. One definition each, whether they come from
 * the device document or from the Inform at hand. Pure.
 */

export function factsOf(device: DeviceBasics): DeviceFacts {
  return {
    deviceId: device._id,
    oui: device.deviceId?.oui ?? '',
    productClass: device.deviceId?.productClass ?? '',
    serialNumber: device.deviceId?.serialNumber ?? '',
    ...(device.softwareVersion !== undefined ? { softwareVersion: device.softwareVersion } : {}),
    ...(device.mac !== undefined ? { mac: device.mac } : {}),
    tags: device.tags ?? [],
  };
}

/** A value the Inform reports under either root (`Device.` or `InternetGatewayDevice.`). */
export function informed(inform: Inform, suffix: string): string | undefined {
  const p = inform.parameterList.find((x) => x.name === `Device.${suffix}` || x.name === `InternetGatewayDevice.${suffix}`);
  return p === undefined ? undefined : String(p.value);
}

/** The device as this Inform shows it, with what the session's read knows besides (MAC, tags). */
export function informedDevice(deviceId: string, inform: Inform, known: Pick<DeviceBasics, 'mac' | 'tags' | 'provision'>): DeviceBasics {
  const softwareVersion = informed(inform, 'DeviceInfo.SoftwareVersion');
  return {
    _id: deviceId,
    deviceId: inform.deviceId,
    ...(softwareVersion !== undefined ? { softwareVersion } : {}),
    ...(known.mac !== undefined ? { mac: known.mac } : {}),
    ...(known.tags ? { tags: known.tags } : {}),
    ...(known.provision ? { provision: known.provision } : {}),
  };
}

/** The revision key of the device's desired state, from what a session knows at Inform. */
export function keyFor(profiles: readonly ProfileDoc[], facts: DeviceFacts, provision: ProvisionState | undefined): string {
  return revisionKey({
    profiles: profiles.map((p) => ({ name: p._id, revision: p.revision })),
    own: provision?.own,
    variables: provision?.vars,
    softwareVersion: facts.softwareVersion,
    mac: facts.mac,
  });
}

/** What the ACS-side macros of a device's values expand to ($MA, $SN, $SWVER, $HWVER, $IP...). */
export function macroFacts(facts: DeviceFacts, device: { hardwareVersion?: string; remoteAddress?: string }): MacroFacts {
  return {
    deviceId: facts.deviceId,
    productClass: facts.productClass,
    serialNumber: facts.serialNumber,
    ...(facts.mac ? { mac: facts.mac } : {}),
    ...(facts.softwareVersion ? { softwareVersion: facts.softwareVersion } : {}),
    ...(device.hardwareVersion ? { hardwareVersion: device.hardwareVersion } : {}),
    ...(device.remoteAddress ? { ip: device.remoteAddress } : {}),
  };
}
