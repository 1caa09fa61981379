import type { DeviceVariablesStore } from '../../profiles/device-variables';
import type { ProfileDoc } from '../../profiles/types';
import type { DeviceRepository } from '../../devices/repository';
import { effectiveState, isManaged, type EffectiveState } from '../plan/effective';
import { factsOf } from '../plan/facts';
import { BASICS_PROJECTION, type DeviceBasics } from '../types';
import type { StoredDesiredConfig, DesiredConfig, DesiredConfigSource } from '../stores/desired';
import type { ProfilesView } from './snapshot';

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

export class EffectiveDesiredConfig implements DesiredConfigSource {
  constructor(
    private readonly profiles: () => Promise<ProfilesView>,
    readonly own: StoredDesiredConfig,
    readonly variables: DeviceVariablesStore,
    private readonly devices: Pick<DeviceRepository, 'get'>,
  ) {}

  async get(deviceId: string): Promise<DesiredConfig | undefined> {
    // Both reads at once: a resync waits for one round trip, as it did before profiles.
    const [doc, own] = await Promise.all([this.devices.get(deviceId, BASICS_PROJECTION), this.own.get(deviceId)]);
    if (!doc) return own;
    const device = doc as DeviceBasics;
    const profiles = (await this.profiles()).index.match(factsOf(device));
    // Neither a profile (decided in memory) nor parameters of its own: nothing to serve, nothing more to read.
    if (!isManaged(profiles, own !== undefined)) return undefined;
    // Devices are reconciled before they resync, which writes the variables' mirror: trusted here.
    const state = await this.resolve(device, { own: own ?? null, trustMirrors: true, profiles });
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
   * only when the device document says it has some; `profiles`: those matching, when already matched.
   */
  async resolve(device: DeviceBasics, read: { own?: DesiredConfig | null; trustMirrors?: boolean; profiles?: ProfileDoc[] } = {}): Promise<EffectiveState> {
    const profiles = read.profiles ?? (await this.profiles()).index.match(factsOf(device));
    const vars = device.provision?.vars;
    const [own, variables] = await Promise.all([
      read.own !== undefined ? (read.own ?? undefined) : this.own.get(device._id),
      read.trustMirrors && vars === undefined ? undefined : this.variables.get(device._id, vars),
    ]);
    return effectiveState(device, profiles, own, variables ?? undefined);
  }
}
