import type { Collection, Db } from 'mongodb';
import { loadCatalogue } from '../cisco/catalogue';
import { validateValue } from '../cisco/profile';
import { dialectFor } from '../cisco/rules';
import type { DeviceIdStruct } from '../cwmp/soap/types';
import type { DeviceVariablesStore, DeviceVariablesDoc } from '../profiles/device-variables';
import { mergeDesired, type MergedDesired } from '../profiles/merge';
import { revisionKey } from '../profiles/revision';
import type { DeviceFacts, ProfileDoc } from '../profiles/types';
import { DEFAULT_DELIVERY, type StoredDesiredConfig, type DeliverySettings, type DesiredConfig, type DesiredConfigSource } from '../provisioning/desired';
import type { ProfilesView } from './snapshot';
import type { ProvisionState } from './types';

/**
 * The effective desired state of a device: the profiles that match it (from memory), its own
 * parameters (issue 4's per-device desired state, which beat every profile) and its variables,
 * merged; with the revision key sessions compare the device's ParameterKey with.
 *
 * As a DesiredConfigSource it is what the rendered configuration file and the phones' own
 * resync channel carry. A device is under provisioning when a profile matches it or when it
 * has parameters of its own (the guide's bootstrap configuration is per device: 001
 * L301-312); a device with neither has no desired state.
 */

/** The device document fields the effective state depends on. */
export interface DeviceBasics {
  _id: string;
  deviceId?: DeviceIdStruct;
  softwareVersion?: string;
  tags?: string[];
  mac?: string;
  provision?: ProvisionState;
}

export const BASICS_PROJECTION = { deviceId: 1, softwareVersion: 1, tags: 1, mac: 1, provision: 1 } as const;

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

/** Checks a value once variables filled it in, in the rule dialect of the device's model. */
function checkExpanded(productClass: string): (name: string, value: string) => string | undefined {
  const dialect = dialectFor([productClass]);
  return (name, value) => validateValue(name, value, undefined, dialect)?.message;
}

export class EffectiveDesiredConfig implements DesiredConfigSource {
  private readonly devices: Collection<DeviceBasics>;

  constructor(
    db: Db,
    private readonly profiles: () => Promise<ProfilesView>,
    readonly own: StoredDesiredConfig,
    readonly variables: DeviceVariablesStore,
  ) {
    this.devices = db.collection<DeviceBasics>('devices');
  }

  async get(deviceId: string): Promise<DesiredConfig | undefined> {
    // Both reads at once: a resync waits for one round trip, as it did before profiles.
    const [device, own] = await Promise.all([this.devices.findOne({ _id: deviceId }, { projection: BASICS_PROJECTION }), this.own.get(deviceId)]);
    if (!device) return own;
    // Neither a profile (decided in memory) nor parameters of its own: nothing to serve.
    if (!own && !(await this.profiles()).index.match(factsOf(device)).length) return undefined;
    // Devices are reconciled before they resync, which writes the variables' mirror: trusted here.
    const state = await this.resolve(device, { own: own ?? null, trustMirrors: true });
    const partitions = Object.fromEntries(state.merged.entries.flatMap((e) => (e.partition ? [[e.name, e.partition]] : [])));
    const changed = [...state.profiles.map((p) => p.updatedAt), ...(own ? [own.updatedAt] : []), ...(state.variables ? [state.variables.updatedAt] : [])];
    return {
      entries: state.merged.entries.map(({ name, value, ua, selfClosing }) => ({ name, value, ...(ua ? { ua } : {}), ...(selfClosing ? { selfClosing } : {}) })),
      delivery: state.delivery,
      ...(Object.keys(partitions).length ? { partitions } : {}),
      revision: state.key,
      updatedAt: new Date(Math.max(...changed.map((d) => new Date(d).getTime()))),
    };
  }

  /**
   * Everything the effective state is made of, for the reconciler and the API. `own`: the
   * device's own parameters when already read (null: none); `trustMirrors`: read the variables
   * only when the device document says it has some.
   */
  async resolve(device: DeviceBasics, read: { own?: DesiredConfig | null; trustMirrors?: boolean } = {}): Promise<EffectiveState> {
    const facts = factsOf(device);
    const view = await this.profiles();
    const profiles = view.index.match(facts);
    const vars = device.provision?.vars;
    const [own, variables] = await Promise.all([
      read.own !== undefined ? (read.own ?? undefined) : this.own.get(device._id),
      read.trustMirrors && vars === undefined ? undefined : this.variables.get(device._id, vars),
    ]);
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
      managed: profiles.length > 0 || own !== undefined,
      profiles,
      ...(own ? { own } : {}),
      ...(variables ? { variables } : {}),
      merged,
      secret,
      key: keyFor(profiles, facts, provision),
      delivery: own?.delivery ?? DEFAULT_DELIVERY,
    };
  }
}
