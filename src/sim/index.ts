/** The CWMP device simulator: many Cisco MPP phones in one process (see fleet.ts). */
export { Fleet, type FleetOptions, type FleetEvents } from './fleet';
export { FleetDevice } from './fleet-device';
export { Device, CISCO_RPC_METHODS, OPTIONAL_RPC_METHODS, FILE_TYPES, PARAM, type Transfer } from './device';
export { EVENT } from './events';
export { ConnectionRequestListener, type ConnectionRequestTarget } from './connection-request';
export { TransferError, firmwareVersionFromName, type DownloadedFile, type TransferHooks } from './transfer';
export { SessionFailure, type FailureReason, type SessionOutcome } from './outcome';
export { CWMP_VERSIONS, type CwmpVersion } from './session';
export { AUTH_SCHEMES, type AuthScheme } from './http/client-auth';
export { NO_QUIRKS, type DeviceProfile, type Quirks } from './profile';
export { summarize, type StatsSummary, type LatencySummary } from './stats';
export { retryDelayMs, retryWindowSeconds } from './retry';
export { DataModel, PRODUCTS, DEFAULT_PRODUCT_CLASS, productTree, deriveIdentity, UNKNOWN_TIME } from './datamodel';
export { ciscoConfigHooks, applyCiscoProfile, ciscoReport, type CiscoConfigOptions, type AppliedProfile } from './cisco-config';
