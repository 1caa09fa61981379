import type { Tr111Identity } from '../devices/types';
import { DEFAULT_FIRMWARE_RELEASE, DEFAULT_PRODUCT_CLASS } from './datamodel';
import type { AuthScheme } from './http/client-auth';
import type { CwmpVersion } from './session';

/** Deliberate deviations seen in real CPEs, to check the ACS copes with them. */
export interface Quirks {
  /** booleans as 1/0 instead of true/false */
  booleanDigits: boolean;
  /** ignore Set-Cookie: the session is tied to its TCP connection only */
  noCookies: boolean;
  /** send cwmp:ID empty */
  emptyId: boolean;
  /** a new TCP connection for every request */
  connectionPerRequest: boolean;
}

export const NO_QUIRKS: Readonly<Quirks> = { booleanDigits: false, noCookies: false, emptyId: false, connectionPerRequest: false };

/** How one simulated device behaves; the fleet's options give the default for all. */
export interface DeviceProfile {
  productClass: string;
  cwmpVersion: CwmpVersion;
  auth: AuthScheme;
  /** ManagementServer.Username/Password at the factory */
  username: string;
  password: string;
  /** ConnectionRequestUsername/Password at the factory; default: serial number and a derived secret */
  connectionRequestUsername?: string;
  connectionRequestPassword?: string;
  /** PeriodicInformInterval at the factory, seconds */
  periodicInformInterval: number;
  provisioningCode: string;
  /** firmware release part of SoftwareVersion, e.g. "12-0-1MPP-2" */
  firmwareRelease: string;
  quirks: Quirks;
  /** every Download fails with 9010 */
  failDownloads: boolean;
  /** also serve Upload, ScheduleInform, ScheduleDownload, CancelTransfer, Get(All)QueuedTransfers */
  fullCwmp: boolean;
  /** the TR-111 gateway the phone's DHCP lease names (option 125), reported in Device.GatewayInfo */
  gateway?: Tr111Identity;
  /** extensions, instead of the product's own number (a bigger data model: about 117 names each) */
  lines?: number;
}

/** A complete profile from partial options: a CP-8851-3PCC on CWMP 1.2 without auth or quirks. */
export function deviceProfile(options: Partial<Omit<DeviceProfile, 'quirks'>> & { quirks?: Partial<Quirks> }): DeviceProfile {
  return {
    productClass: options.productClass ?? DEFAULT_PRODUCT_CLASS,
    cwmpVersion: options.cwmpVersion ?? '1.2',
    auth: options.auth ?? 'none',
    username: options.username ?? '',
    password: options.password ?? '',
    connectionRequestUsername: options.connectionRequestUsername,
    connectionRequestPassword: options.connectionRequestPassword,
    periodicInformInterval: options.periodicInformInterval ?? 20,
    provisioningCode: options.provisioningCode ?? '',
    firmwareRelease: options.firmwareRelease ?? DEFAULT_FIRMWARE_RELEASE,
    quirks: { ...NO_QUIRKS, ...options.quirks },
    failDownloads: options.failDownloads ?? false,
    fullCwmp: options.fullCwmp ?? false,
    gateway: options.gateway,
    lines: options.lines,
  };
}
