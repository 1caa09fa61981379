import type { Collection, Db } from 'mongodb';
import { COLLECTIONS } from '../stores/collections';
import { leaves } from './params';
import { DeviceRepository } from './repository';
import { LINE_PARAMETER, searchKeysOf, searchTerms, SEPARATOR, type SearchKind } from './search-keys';
import type { DeviceDoc, ParamTree } from './types';

/** One search key of one device: `_id` is `<value>\u0001<device id>`, so a lookup is an `_id` range. */
export interface SearchEntry {
  _id: string;
  /** the device */
  d: string;
  k: SearchKind;
}

export const SEARCH_COLLECTION = COLLECTIONS.deviceSearch;

/** Device fields the keys come from. */
const KEY_FIELDS = { deviceId: 1, softwareVersion: 1, connectionRequestUrl: 1, remoteAddress: 1, mac: 1, tags: 1, searchKeys: 1 } as const;

/**
 * The device search box's index: an inverted index in its own collection whose `_id` starts
 * with the searched value. FerretDB answers `_id` ranges from its index (and MongoDB does
 * anyway), so finding the devices whose serial, MAC, IP, tag, line... starts with the typed
 * text reads only the matching entries, however many devices there are. The device document
 * lists its own entries (`searchKeys`) so a refresh replaces exactly those.
 */
export class SearchIndex {
  readonly collection: Collection<SearchEntry>;

  constructor(
    db: Db,
    private readonly devices = new DeviceRepository(db),
  ) {
    this.collection = db.collection<SearchEntry>(SEARCH_COLLECTION);
  }

  /**
   * Recomputes a device's keys from its document and learned line parameters; called when an
   * Inform changed a reported value, when line parameters were read, and when tags change.
   */
  async refresh(deviceId: string): Promise<void> {
    const device = await this.devices.get(deviceId, KEY_FIELDS);
    if (!device) return this.remove(deviceId);
    const params = await this.devices.paramsOf(deviceId);
    await this.write(device, lineValues(params?.params));
  }

  /** Writes a device's entries given its document and line values (also for bulk imports). */
  async write(device: DeviceDoc, lines: Iterable<string>): Promise<void> {
    const keys = searchKeysOf(device, lines);
    const ids = new Map([...keys].map(([value, kind]) => [`${value}${SEPARATOR}${device._id}`, kind]));
    const before = new Set(device.searchKeys ?? []);
    const gone = [...before].filter((id) => !ids.has(id));
    const added = [...ids].filter(([id]) => !before.has(id));
    if (!gone.length && !added.length) return;
    if (added.length) {
      await this.collection.bulkWrite(added.map(([_id, k]) => ({ replaceOne: { filter: { _id }, replacement: { _id, d: device._id, k }, upsert: true } })), { ordered: false });
    }
    if (gone.length) await this.collection.deleteMany({ _id: { $in: gone } });
    await this.devices.updateFields(device._id, { set: { searchKeys: [...ids.keys()] } });
  }

  /** Forgets a deleted device's entries. */
  async remove(deviceId: string, keys?: string[]): Promise<void> {
    const known = keys ?? (await this.devices.get(deviceId, { searchKeys: 1 }))?.searchKeys ?? [];
    if (known.length) await this.collection.deleteMany({ _id: { $in: known } });
  }

  /**
   * Ids of the devices with a key starting with the query (or its MAC spelling), at most
   * `cap`; `truncated` says more matched.
   */
  async find(query: string, cap: number): Promise<{ ids: string[]; truncated: boolean }> {
    const found = new Set<string>();
    let truncated = false;
    for (const term of searchTerms(query)) {
      const entries = await this.collection
        .find({ _id: { $gte: term, $lt: `${term}\uffff` } }, { projection: { d: 1 } })
        .sort({ _id: 1 })
        .limit(cap + 1)
        .toArray();
      if (entries.length > cap) truncated = true;
      for (const e of entries.slice(0, cap)) found.add(e.d);
    }
    const ids = [...found];
    if (ids.length > cap) truncated = true;
    return { ids: ids.slice(0, cap), truncated };
  }
}

/** Values of the line parameters in a learned tree. */
export function lineValues(tree: ParamTree | undefined): string[] {
  if (!tree) return [];
  const out: string[] = [];
  for (const [path, leaf] of leaves(tree)) if (LINE_PARAMETER.test(path) && typeof leaf._v === 'string' && leaf._v) out.push(leaf._v);
  return out;
}
