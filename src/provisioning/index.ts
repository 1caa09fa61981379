/**
 * Cisco provisioning with stores: the desired Cisco parameters of each device and the profile
 * rendered from them, the Download flows (firmware, configuration, CA), the phones' own
 * resync and report channel, the MAC directory, mapping overrides and data-model discovery.
 */

export {
  StoredDesiredConfig,
  DesiredConfigError,
  DEFAULT_DELIVERY,
  checkEntries,
  redactEntries,
  type DesiredConfig,
  type DesiredConfigSource,
  type DesiredChange,
  type DeliverySettings,
} from './desired';
export { renderDeviceProfile, renderPlain, sealProfile, ProfileRenderer, deviceMacros, desiredValues, expandEntries, type DeviceFacts, type RenderedProfile, type PlainProfile } from './render';
export { aliasDocument, aliasForm, aliasMapOf } from './alias-document';
export { MacDirectory, normaliseMac, macFromParameters, type MacSource } from '../devices/mac-directory';
export { parseUserAgent, macCandidatesInPath } from './identity';
export { PhoneChannel, type PhoneRequest, type PhoneReply } from './phone-channel';
export { decideAccess, judgeCertificate, profilePathProblem, type AccessPolicy, type AccessDecision, type Evidence, type Proof } from './phone-access';
export { PhoneTokens, splitToken, withToken, TOKEN_PARAMETER } from './phone-token';
export { PhoneThrottle } from './phone-throttle';
export { PhoneProfiles } from './phone-variants';
export { DeviceKeys, DEVICE_KEY_PARAMETER } from './device-keys';
export { secureEntries } from './phone-rules';
export { secretNames, hasSecrets, withoutSecrets } from './profile-secrets';
export { ReportStore, ReportError, readReport, parsePostedValues, type ReportKind, type ReportedState } from './reports';
export { matchProfileRule, matchReportRule, PROFILE_RULES } from './rule-match';
export {
  queueFirmwareDownload,
  queueConfigDownload,
  queueCaDownload,
  DownloadFlowError,
  FILE_TYPE,
  DEFAULT_TASK_LIFETIME_MS,
  type DownloadFlowDeps,
  type TaskQueue,
  type DownloadOptions,
} from './downloads';
export { MappingOverrideStore, MappingOverrideError, checkOverrides } from './mapping-overrides';
export { DataModelDiscovery, DataModelError, dataModelKey, type DataModelSummary } from './datamodel';
export { planDelivery, type DeliveryPlan } from './delivery-plan';
export { RetailInit, RETAIL_INIT_PATH } from './retail-init';
