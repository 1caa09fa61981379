import type { SessionSearch } from '../../../src/cwmp/session/ports';
import { lineValues } from '../../../src/devices/search-index';
import { searchKeysOf, searchTerms, SEPARATOR } from '../../../src/devices/search-keys';
import type { MemoryDevices } from './devices';

/** SearchIndex in memory: each device's keys, recomputed from what MemoryDevices stores. */
export class MemorySearch implements SessionSearch {
  /** `<value>\u0001<device id>` -> device id */
  private readonly entries = new Map<string, string>();
  private readonly keysOf = new Map<string, string[]>();

  constructor(private readonly devices: MemoryDevices) {}

  async refresh(deviceId: string): Promise<void> {
    for (const id of this.keysOf.get(deviceId) ?? []) this.entries.delete(id);
    this.keysOf.delete(deviceId);
    const device = await this.devices.getWithParams(deviceId);
    if (!device) return;
    const ids = [...searchKeysOf(device, lineValues(device.params)).keys()].map((value) => `${value}${SEPARATOR}${deviceId}`);
    for (const id of ids) this.entries.set(id, deviceId);
    this.keysOf.set(deviceId, ids);
  }

  async find(query: string, cap: number): Promise<{ ids: string[]; truncated: boolean }> {
    const found = new Set<string>();
    let truncated = false;
    const sorted = [...this.entries.keys()].sort();
    for (const term of searchTerms(query)) {
      const matching = sorted.filter((id) => id.startsWith(term));
      if (matching.length > cap) truncated = true;
      for (const id of matching.slice(0, cap)) found.add(this.entries.get(id)!);
    }
    const ids = [...found];
    return { ids: ids.slice(0, cap), truncated: truncated || ids.length > cap };
  }
}
