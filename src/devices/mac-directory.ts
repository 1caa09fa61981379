import type { Collection, Db } from 'mongodb';
import { COLLECTIONS } from '../stores/collections';
import { DeviceRepository } from './repository';

export interface MacEntry {
  /** 12 lower-case hex digits */
  _id: string;
  deviceId: string;
  source: MacSource;
  updatedAt: Date;
}

export type MacSource = 'api' | 'inform' | 'parameters' | 'report';

export const MAC_COLLECTION = COLLECTIONS.deviceMacs;

/** `00:0E:08:AA:BB:CC`, `000e.08aa.bbcc`, `000E08AABBCC` -> `000e08aabbcc`; undefined if not a MAC. */
export function normaliseMac(text: string): string | undefined {
  const hex = text.trim().replace(/[:.-]/g, '').toLowerCase();
  return /^[0-9a-f]{12}$/.test(hex) && hex !== '000000000000' ? hex : undefined;
}

/** TR-181 / TR-098 parameters that carry the device's own MAC address. */
const MAC_PARAMETER = /^(Device\.Ethernet\.Interface\.\d+\.MACAddress|Device\.LAN\.MACAddress|InternetGatewayDevice\.LANDevice\.\d+\.LANEthernetInterfaceConfig\.\d+\.MACAddress)$/;

/** The device's MAC among reported parameter values (an Inform's or a GetParameterValues answer's). */
export function macFromParameters(list: Iterable<{ name: string; value: unknown }>): string | undefined {
  for (const p of list) if (MAC_PARAMETER.test(p.name) && typeof p.value === 'string') return normaliseMac(p.value);
  return undefined;
}

/**
 * MAC address -> device. On FerretDB only `_id` lookups are indexed, so phones identified by
 * their MAC are found through this small collection keyed by the MAC rather than by scanning
 * `devices`. The device document keeps its MAC too (`mac`), and a lookup only counts when both
 * agree, so an entry left behind by a MAC that moved to another device is harmless.
 */
export class MacDirectory {
  readonly collection: Collection<MacEntry>;
  private readonly cache = new Map<string, { deviceId: string; until: number }>();

  constructor(
    db: Db,
    /** how long a lookup may be answered from memory (the fs role serves hundreds a second) */
    private readonly cacheMs = 0,
    private readonly devices = new DeviceRepository(db),
  ) {
    this.collection = db.collection<MacEntry>(MAC_COLLECTION);
  }

  /** The device that has this MAC, by the directory; the caller checks the device's own `mac`. */
  async lookup(mac: string): Promise<string | undefined> {
    const now = Date.now();
    const cached = this.cache.get(mac);
    if (cached && cached.until > now) return cached.deviceId;
    const entry = await this.collection.findOne({ _id: mac });
    if (!entry) return undefined;
    if (this.cacheMs > 0) {
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(mac, { deviceId: entry.deviceId, until: now + this.cacheMs });
    }
    return entry.deviceId;
  }

  /**
   * Records the device's MAC: on the device document and in the directory. A MAC the device
   * had before is released. False when the device does not exist.
   */
  async assign(deviceId: string, mac: string, source: MacSource, now = new Date()): Promise<boolean> {
    const normal = normaliseMac(mac);
    if (!normal) throw new RangeError(`${JSON.stringify(mac.slice(0, 40))} is not a MAC address`);
    const had = await this.devices.setMac(deviceId, normal);
    if (!had) return false;
    await this.collection.updateOne({ _id: normal }, { $set: { deviceId, source, updatedAt: now } }, { upsert: true });
    if (had.before && had.before !== normal) await this.collection.deleteOne({ _id: had.before, deviceId });
    this.cache.delete(normal);
    return true;
  }
}
