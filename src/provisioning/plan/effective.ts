import { loadCatalogue } from '../../cisco/catalogue';
import { validateValue } from '../../cisco/profile';
import { dialectFor } from '../../cisco/rules';
import type { DeviceVariablesDoc } from '../../profiles/device-variables';
import { mergeDesired, type MergedDesired } from '../../profiles/merge';
import type { DeviceFacts, ProfileDoc } from '../../profiles/types';
import { DEFAULT_DELIVERY, type DeliverySettings, type DesiredConfig } from '../stores/desired';
import type { DeviceBasics, ProvisionState } from '../types';
import { factsOf, keyFor } from './facts';

/**
 * The effective desired state of a device from its inputs: the profiles that match it, its own
 * parameters (which beat every profile) and its variables, merged; with the revision key
 * sessions compare the device's ParameterKey with. A device is under provisioning when a
 * profile matches it or when it has parameters of its own (the guide's bootstrap configuration
 * is per device: 001 L301-312). Pure: desired/effective.ts reads the inputs.
 */
export interface EffectiveState {
  deviceId: string;
  facts: DeviceFacts;
  /** some profile matches the device, or it has parameters of its own: the ACS reconciles it */
  managed: boolean;
  profiles: ProfileDoc[];
  own?: DesiredConfig;
  variables?: DeviceVariablesDoc;
  merged: MergedDesired;
  /** names whose value is secret (catalogue secrets, and values made of secret variables) */
  secret: ReadonlySet<string>;
  key: string;
  delivery: DeliverySettings;
}

export function effectiveState(device: DeviceBasics, profiles: ProfileDoc[], own: DesiredConfig | undefined, variables: DeviceVariablesDoc | undefined): EffectiveState {
  const facts = factsOf(device);
  // Written before the device first informed, the mirrors may be missing: the key follows the stores.
  const provision: ProvisionState = { ...device.provision, ...(own ? { own: own.revision } : {}), ...(variables ? { vars: variables.revision } : {}) };
  if (!own) delete provision.own;
  if (!variables) delete provision.vars;
  const merged = mergeDesired(
    profiles.map((p) => ({ name: p._id, revision: p.revision, precedence: p.precedence, ...(p.partition ? { partition: p.partition } : {}), parameters: p.parameters })),
    own?.entries,
    variables?.values ?? {},
    checkExpanded(facts.productClass),
  );
  const catalogue = loadCatalogue();
  const secretVariables = new Set(variables?.secret ?? []);
  const secret = new Set(merged.entries.filter((e) => catalogue.get(e.name)?.secret || e.variables?.some((v) => secretVariables.has(v))).map((e) => e.name));
  return {
    deviceId: device._id,
    facts,
    managed: isManaged(profiles, own !== undefined),
    profiles,
    ...(own ? { own } : {}),
    ...(variables ? { variables } : {}),
    merged,
    secret,
    key: keyFor(profiles, facts, provision),
    delivery: own?.delivery ?? DEFAULT_DELIVERY,
  };
}

/** Under provisioning: some profile matches the device, or it has parameters of its own. */
export function isManaged(profiles: readonly ProfileDoc[], hasOwn: boolean): boolean {
  return profiles.length > 0 || hasOwn;
}

/** Checks a value once variables filled it in, in the rule dialect of the device's model. */
function checkExpanded(productClass: string): (name: string, value: string) => string | undefined {
  const dialect = dialectFor([productClass]);
  return (name, value) => validateValue(name, value, undefined, dialect)?.message;
}
