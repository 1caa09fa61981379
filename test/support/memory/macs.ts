import type { SessionMacs } from '../../../src/cwmp/session/ports';
import { normaliseMac, type MacEntry, type MacSource } from '../../../src/devices/mac-directory';
import type { MemoryDevices } from './devices';

/** MacDirectory in memory: the MAC on the device document and in the directory, both kept. */
export class MemoryMacs implements SessionMacs {
  private readonly entries = new Map<string, MacEntry>();

  constructor(private readonly devices: MemoryDevices) {}

  async lookup(mac: string): Promise<string | undefined> {
    return this.entries.get(mac)?.deviceId;
  }

  async assign(deviceId: string, mac: string, source: MacSource, now = new Date()): Promise<boolean> {
    const normal = normaliseMac(mac);
    if (!normal) throw new RangeError(`${JSON.stringify(mac.slice(0, 40))} is not a MAC address`);
    const before = await this.devices.findAndUpdate(deviceId, { set: { mac: normal } });
    if (!before) return false;
    this.entries.set(normal, { _id: normal, deviceId, source, updatedAt: now });
    if (before.mac && before.mac !== normal && this.entries.get(before.mac)?.deviceId === deviceId) this.entries.delete(before.mac);
    return true;
  }
}
