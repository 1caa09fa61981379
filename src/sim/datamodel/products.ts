import { createHash } from 'node:crypto';

/**
 * Cisco MPP phone models the simulator can play. Product IDs come from Cisco field notice
 * FN72593 (tr069.md §6.2); whether a real phone reports the PID as its ProductClass, the
 * line counts (taken from the number of line keys) and the OUI are UNVERIFIED.
 */
export interface ProductSpec {
  productClass: string;
  modelName: string;
  description: string;
  /** extensions (one VoiceProfile each) */
  lines: number;
  /** firmware family, the prefix of SoftwareVersion (e.g. "sip88xx") */
  firmwareFamily: string;
  hardwareVersion: string;
}

function mpp(model: string, lines: number, hardwareVersion = 'V01'): ProductSpec {
  return {
    productClass: `CP-${model}-3PCC`,
    modelName: `CP-${model}`,
    description: `Cisco IP Phone ${model} Multiplatform`,
    lines,
    firmwareFamily: `sip${model.slice(0, 2)}xx`,
    hardwareVersion,
  };
}

export const PRODUCTS: Readonly<Record<string, ProductSpec>> = Object.fromEntries(
  [
    mpp('6821', 2),
    mpp('6841', 4),
    mpp('6851', 4),
    mpp('6871', 6),
    mpp('7811', 1),
    mpp('7821', 2),
    mpp('7832', 1),
    mpp('7841', 4),
    mpp('7861', 16),
    mpp('8811', 5),
    mpp('8841', 5),
    mpp('8845', 5),
    mpp('8851', 5),
    mpp('8861', 5),
    mpp('8865', 5),
  ].map((p) => [p.productClass, p]),
);

export const DEFAULT_PRODUCT_CLASS = 'CP-8851-3PCC';
export const CISCO_MANUFACTURER = 'Cisco Systems, Inc.';
/** From the MAC in Cisco's provisioning-guide User-Agent example; one of Cisco's many OUIs. */
export const DEFAULT_OUI = '00562B';
/** Firmware release the simulated phones start with; the family prefix is per model. */
export const DEFAULT_FIRMWARE_RELEASE = '12-0-1MPP-2';

export function softwareVersionOf(product: ProductSpec, release = DEFAULT_FIRMWARE_RELEASE): string {
  return `${product.firmwareFamily}.${release}`;
}

export interface DeviceIdentity {
  serialNumber: string;
  /** 12 lower-case hex digits, no separators (Cisco's own notation) */
  macAddress: string;
  ipAddress: string;
}

const SERIAL_SPACE = 36n ** 8n;
/** A prime that shares no factor with 36^8, so index -> serial is one-to-one. */
const SERIAL_STRIDE = 1_000_003n;

/**
 * Identity of the device at `index`: the same index and seed always give the same serial,
 * MAC and IP, and different indexes (below 36^8 and 2^24) never collide.
 */
export function deriveIdentity(index: number, seed: string, serialPrefix: string, oui: string): DeviceIdentity {
  const digest = createHash('sha256').update(`acs-sim:${seed}`).digest();
  const serialOffset = digest.readBigUInt64BE(0) % SERIAL_SPACE;
  const serial = ((BigInt(index) * SERIAL_STRIDE + serialOffset) % SERIAL_SPACE).toString(36).toUpperCase().padStart(8, '0');
  const nic = (digest.readUIntBE(8, 3) + index) % 0x1000000;
  const host = index + 2;
  return {
    serialNumber: `${serialPrefix}${serial}`,
    macAddress: `${oui.toLowerCase()}${nic.toString(16).padStart(6, '0')}`,
    ipAddress: `10.${(host >> 16) & 0xff}.${(host >> 8) & 0xff}.${host & 0xff}`,
  };
}
