import { loadCatalogue } from '../../cisco/catalogue';
import type { ParamTree } from '../../devices/types';
import { nextHop } from '../../firmware/versions';
import type { ValueSource } from '../../profiles/types';
import type { DataModelDiscovery } from '../flows/datamodel';
import { hasRevision } from '../plan/decide';
import { confirmedPaths, planDelivery } from '../plan/delivery';
import type { MappingOverrideStore } from '../stores/mapping-overrides';
import { desiredValues, expandEntries } from '../render/render';
import type { ReportStore } from '../stores/reports';
import { driftOf, type DriftItem } from '../plan/drift';
import type { EffectiveDesiredConfig } from '../desired/effective';
import type { EffectiveState } from '../plan/effective';
import { macroFacts } from '../plan/facts';
import type { ProvisionDevices } from '../stores/devices';
import type { ProvisionedDevice } from '../types';
import type { ProvisioningSnapshot } from '../desired/snapshot';

/**
 * Provisioning as operators read it: a device's effective desired state with where each value
 * came from and how it travels, and its drift. Secret values never leave.
 */

export interface EffectiveView {
  deviceId: string;
  managed: boolean;
  key: string;
  upToDate: boolean;
  applied?: string;
  failed?: { key: string; at: Date; code: number | string; message: string; taskId?: string };
  profiles: Array<{ name: string; revision: number; precedence: number }>;
  parameters: Array<{
    name: string;
    value?: string;
    secret?: true;
    ua?: string;
    keep?: true;
    source: ValueSource;
    delivery: 'parameter' | 'file';
    path?: string;
    shadowed?: Array<{ source: ValueSource; value?: string; secret?: true }>;
  }>;
  conflicts: Array<{ name: string; precedence: number; candidates: Array<{ profile: string; revision: number; value?: string; secret?: true }> }>;
  withheld: EffectiveState['merged']['withheld'];
  variables?: { revision: string; names: string[]; secret: string[] };
  firmware?: { target: string; next?: string; reason?: string; rollout: string; device?: unknown };
}

export class ProvisioningInspector {
  constructor(
    private readonly devices: ProvisionDevices,
    private readonly snapshot: ProvisioningSnapshot,
    private readonly effective: EffectiveDesiredConfig,
    private readonly mappings: MappingOverrideStore,
    private readonly datamodels: DataModelDiscovery,
    private readonly reports: ReportStore,
  ) {}

  private async load(deviceId: string): Promise<{ device: ProvisionedDevice; state: EffectiveState; tree: ParamTree } | undefined> {
    await this.snapshot.refresh();
    const device = await this.devices.get(deviceId);
    if (!device) return undefined;
    const [state, tree] = await Promise.all([this.effective.resolve(device), this.devices.tree(deviceId)]);
    return { device, state, tree };
  }

  async view(deviceId: string): Promise<EffectiveView | undefined> {
    const loaded = await this.load(deviceId);
    if (!loaded) return undefined;
    const { device, state, tree } = loaded;
    const { facts } = state;
    const mapper = await this.mappings.mapper(facts.productClass);
    const model = facts.softwareVersion ? await this.datamodels.paths(facts.productClass, facts.softwareVersion) : undefined;
    const delivery = planDelivery(desiredValues(state.merged.entries), mapper, confirmedPaths(model, tree));
    const byParameter = new Map<string, string>();
    for (const pv of delivery.parameterValues) {
      const owner = mapper.reverse(pv.name)?.name;
      if (owner && !byParameter.has(owner)) byParameter.set(owner, pv.name);
    }
    const secret = (name: string) => state.secret.has(name);
    const provision = device.provision ?? {};
    const policy = this.snapshot.policy(facts.productClass);
    const hop = policy ? nextHop(facts.softwareVersion, policy) : undefined;
    return {
      deviceId,
      managed: state.managed,
      key: state.key,
      upToDate: state.managed && hasRevision(state.key, device.parameterKey, provision),
      ...(provision.applied ? { applied: provision.applied } : {}),
      // A failure of another revision is history: this one may well apply.
      ...(provision.failed?.key === state.key ? { failed: provision.failed } : {}),
      profiles: state.profiles.map((p) => ({ name: p._id, revision: p.revision, precedence: p.precedence })).sort((a, b) => b.precedence - a.precedence || a.name.localeCompare(b.name)),
      parameters: state.merged.entries.map((e) => ({
        name: e.name,
        ...(secret(e.name) ? { secret: true as const } : { value: e.value }),
        ...(e.ua ? { ua: e.ua } : {}),
        ...(e.selfClosing ? { keep: true as const } : {}),
        source: e.source,
        delivery: byParameter.has(e.name) && !e.ua && !e.selfClosing ? ('parameter' as const) : ('file' as const),
        ...(byParameter.has(e.name) ? { path: byParameter.get(e.name) } : {}),
        ...(e.shadowed ? { shadowed: e.shadowed.map((s) => ({ source: s.source, ...(secret(e.name) ? { secret: true as const } : { value: s.value }) })) } : {}),
      })),
      conflicts: state.merged.conflicts.map((c) => (loadCatalogue().get(c.name)?.secret ? { ...c, candidates: c.candidates.map(({ value: _v, ...rest }) => ({ ...rest, secret: true as const })) } : c)),
      withheld: state.merged.withheld,
      ...(state.variables ? { variables: { revision: state.variables.revision, names: Object.keys(state.variables.values).filter((n) => !state.variables!.secret.includes(n)).sort(), secret: state.variables.secret } } : {}),
      ...(policy && hop
        ? {
            firmware: {
              target: policy.target,
              rollout: `${policy._id}@${policy.revision}`,
              ...('install' in hop ? { next: hop.install } : { reason: hop.none }),
              ...(provision.firmware ? { device: provision.firmware } : {}),
            },
          }
        : {}),
    };
  }

  async drift(deviceId: string): Promise<{ deviceId: string; key: string; items: DriftItem[]; summary: Record<DriftItem['status'], number> } | undefined> {
    const loaded = await this.load(deviceId);
    if (!loaded) return undefined;
    const { device, state, tree } = loaded;
    const { facts } = state;
    const entries = expandEntries(macroFacts(facts, device), state.merged.entries);
    const [mapper, report] = await Promise.all([this.mappings.mapper(facts.productClass), this.reports.get(deviceId)]);
    const items = driftOf(entries, state.secret, mapper, tree, report);
    const summary = { 'in-sync': 0, drift: 0, unknown: 0 };
    for (const i of items) summary[i.status] += 1;
    return { deviceId, key: state.key, items, summary };
  }
}
