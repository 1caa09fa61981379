/**
 * Provisioning profiles: named sets of desired Cisco parameters (XML names or TR-069 paths,
 * one model), the devices they apply to (selectors, indexed), their precedence and conflicts,
 * per-device variables, and the revision key a device's desired state is known by.
 */
export { ProfileStore, ProfileError, checkProfile, revisionId, PROFILES_COLLECTION, PROFILE_REVISIONS_COLLECTION, type ProfileInput, type SavedProfile } from './store';
export { DeviceVariablesStore, DEVICE_VARIABLES_COLLECTION, type DeviceVariablesDoc } from './device-variables';
export { parametersFromXml } from './import';
export { normaliseParameters, isTr069Path, type ParameterInput, type ParameterProblem } from './parameters';
export { SelectorIndex, checkSelector, matches, mayOverlap } from './selector';
export { mergeDesired, type MergedDesired, type EffectiveEntry, type Conflict, type Withheld, type MatchedProfile } from './merge';
export { potentialConflicts, type PotentialConflict } from './conflicts';
export { revisionKey, interimKey, KEY_LENGTH } from './revision';
export { expandVariables, variableReferences, hasVariables } from './variables';
export type { Selector, ProfileDoc, ProfileRevisionDoc, ProfileContent, DeviceFacts, ValueSource, Partition } from './types';
export { PARTITIONS } from './types';
