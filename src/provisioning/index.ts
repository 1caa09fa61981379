/**
 * Provisioning, one capability: the effective desired state of each device (profiles, its own
 * parameters and variables; desired/), the pure planner that decides what a session sends
 * (plan/), the reconciler that carries the plan out inside CWMP sessions (execute/), the
 * Download flows and data-model discovery (flows/), provisioning's own collections (stores/),
 * the rendered profile (render/), the phones' own resync and report channel (phone/), and what
 * operators read (inspect/: effective view, drift, matching devices).
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
} from './stores/desired';
export { renderDeviceProfile, renderPlain, sealProfile, ProfileRenderer, deviceMacros, desiredValues, expandEntries, type DeviceFacts, type RenderedProfile, type PlainProfile } from './render/render';
export { aliasDocument, aliasForm, aliasMapOf } from './render/alias-document';
export { MacDirectory, normaliseMac, macFromParameters, type MacSource } from '../devices/mac-directory';
export { parseUserAgent, macCandidatesInPath } from './phone/identity';
export { PhoneChannel, type PhoneRequest, type PhoneReply } from './phone/channel';
export { decideAccess, judgeCertificate, profilePathProblem, type AccessPolicy, type AccessDecision, type Evidence, type Proof } from './phone/access';
export { PhoneTokens, splitToken, withToken, TOKEN_PARAMETER } from './phone/token';
export { PhoneThrottle } from './phone/throttle';
export { PhoneProfiles } from './phone/variants';
export { DeviceKeys, DEVICE_KEY_PARAMETER } from './phone/device-keys';
export { secureEntries } from './phone/rules';
export { secretNames, hasSecrets, withoutSecrets } from './phone/profile-secrets';
export { ReportStore, ReportError, readReport, parsePostedValues, type ReportKind, type ReportedState } from './stores/reports';
export { matchProfileRule, matchReportRule, PROFILE_RULES } from './phone/rule-match';
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
} from './flows/downloads';
export { MappingOverrideStore, MappingOverrideError, checkOverrides } from './stores/mapping-overrides';
export { DataModelDiscovery, DataModelError, dataModelKey, type DataModelSummary } from './flows/datamodel';
export { planDelivery, type DeliveryPlan } from './plan/delivery';
export { RetailInit, RETAIL_INIT_PATH } from './phone/retail-init';
export { startProvisioning, type Provisioning, type ProvisioningDeps } from './start';
export { EffectiveDesiredConfig } from './desired/effective';
export { factsOf, keyFor } from './plan/facts';
export { effectiveState, type EffectiveState } from './plan/effective';
export { ChangeMarker, ProvisioningSnapshot, type SnapshotKind, type ProfilesView } from './desired/snapshot';
export { ProvisioningReconciler } from './execute/reconciler';
export { HistoryStore, type HistoryDoc, type ChangeEntry } from './stores/history';
export { ProvisioningInspector, type EffectiveView } from './inspect/inspector';
export { driftOf, type DriftItem } from './plan/drift';
export { AppliedStore, type AppliedFiles } from './stores/applied';
export { DeviceProvisionStore, type ProvisionDevices } from './stores/devices';
export { MatchingDeviceFinder, selectorFilter, type MatchingDevices } from './inspect/matching-devices';
export { PROVISIONING_ACTOR, BASICS_PROJECTION, type DeviceBasics, type ProvisionState, type ProvisionFailure } from './types';
