import type { Filter } from 'mongodb';
import type { DeviceRepository } from '../../devices/repository';
import type { DeviceDoc } from '../../devices/types';
import { matches } from '../../profiles/selector';
import type { DeviceFacts, Selector } from '../../profiles/types';
import { factsOf } from '../plan/facts';
import { BASICS_PROJECTION, type DeviceBasics } from '../types';

/**
 * The devices a selector (or several at once: a conflict's two profiles) matches, for previews
 * on the console: the device documents a MongoDB filter narrows to, then the same `matches`
 * the reconciler uses decides (it alone knows firmware version ranges and OUI case). The scan
 * is bounded, so a preview over a large fleet says how far it counted instead of running long.
 */

/** The MongoDB filter every device matching the selector passes (a superset: `matches` decides). */
export function selectorFilter(s: Selector): Filter<DeviceBasics> {
  const and: Filter<DeviceBasics>[] = [];
  if (s.deviceIds) and.push({ _id: { $in: s.deviceIds } });
  if (s.serialNumbers) and.push({ 'deviceId.serialNumber': { $in: s.serialNumbers } });
  if (s.macs) and.push({ mac: { $in: s.macs } });
  if (s.productClasses) and.push({ 'deviceId.productClass': { $in: s.productClasses } });
  // Devices report OUIs in either case; selectors hold them upper case.
  if (s.ouis) and.push({ 'deviceId.oui': { $in: s.ouis.flatMap((o) => [o, o.toLowerCase()]) } });
  if (s.tags) and.push({ tags: { $all: s.tags } });
  if (s.softwareVersion) and.push({ softwareVersion: { $exists: true } });
  return and.length === 0 ? {} : and.length === 1 ? and[0]! : { $and: and };
}

export interface MatchingDevices {
  /** devices matching, among those scanned */
  count: number;
  /** false when the scan stopped at its limit: `count` is then a lower bound */
  complete: boolean;
  /** the first few, by device id */
  items: DeviceFacts[];
}

export const PREVIEW_SCAN_LIMIT = 20_000;

export class MatchingDeviceFinder {
  constructor(
    private readonly devices: Pick<DeviceRepository, 'find' | 'getMany'>,
    private readonly scanLimit = PREVIEW_SCAN_LIMIT,
  ) {}

  /** The devices a filter narrows to, read as what the projection asks for. */
  private scan(filter: Filter<DeviceBasics>): AsyncIterable<DeviceBasics> {
    return this.devices.find(filter as Filter<DeviceDoc>, { projection: BASICS_PROJECTION, sort: { _id: 1 }, limit: this.scanLimit + 1 }) as AsyncIterable<DeviceBasics>;
  }

  /** The ids of the devices the selector matches, sorted (at most the scan limit: then `complete` is false). */
  async ids(selector: Selector): Promise<{ ids: string[]; complete: boolean }> {
    const ids: string[] = [];
    let scanned = 0;
    for await (const doc of this.scan(selectorFilter(selector))) {
      if (++scanned > this.scanLimit) return { ids, complete: false };
      if (matches(selector, factsOf(doc))) ids.push(doc._id);
    }
    return { ids, complete: true };
  }

  /** The facts of these devices, in the order given (those that no longer exist left out). */
  async facts(ids: readonly string[]): Promise<DeviceFacts[]> {
    if (!ids.length) return [];
    const docs = new Map(((await this.devices.getMany(ids, BASICS_PROJECTION)) as DeviceBasics[]).map((d) => [d._id, d]));
    return ids.flatMap((id) => (docs.has(id) ? [factsOf(docs.get(id)!)] : []));
  }

  /**
   * Devices matching both selectors of each pair: one scan per distinct selector, however many
   * pairs share it, then intersections in memory, then one read of the samples' facts.
   */
  async pairs(pairs: ReadonlyArray<readonly [string, string]>, selectors: ReadonlyMap<string, Selector>, sample: number): Promise<MatchingDevices[]> {
    const names = [...new Set(pairs.flat())];
    const sets = new Map(await Promise.all(names.map(async (n) => [n, await this.ids(selectors.get(n) ?? {})] as const)));
    const both = pairs.map(([a, b]) => {
      const x = sets.get(a)!;
      const y = sets.get(b)!;
      const other = new Set(y.ids);
      return { ids: x.ids.filter((id) => other.has(id)), complete: x.complete && y.complete };
    });
    const facts = new Map((await this.facts([...new Set(both.flatMap((p) => p.ids.slice(0, sample)))])).map((f) => [f.deviceId, f]));
    return both.map((p) => ({ count: p.ids.length, complete: p.complete, items: p.ids.slice(0, sample).flatMap((id) => (facts.has(id) ? [facts.get(id)!] : [])) }));
  }

  /** Devices every one of `selectors` matches. */
  async find(selectors: readonly Selector[], sample: number): Promise<MatchingDevices> {
    const filters = selectors.map(selectorFilter).filter((f) => Object.keys(f).length > 0);
    const filter: Filter<DeviceBasics> = filters.length === 0 ? {} : filters.length === 1 ? filters[0]! : { $and: filters };
    const items: DeviceFacts[] = [];
    let count = 0;
    let scanned = 0;
    for await (const doc of this.scan(filter)) {
      if (++scanned > this.scanLimit) return { count, complete: false, items };
      const facts = factsOf(doc);
      if (!selectors.every((s) => matches(s, facts))) continue;
      count++;
      if (items.length < sample) items.push(facts);
    }
    return { count, complete: true, items };
  }
}
