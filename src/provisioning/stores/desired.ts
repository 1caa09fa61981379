import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Collection, Db } from 'mongodb';
import { loadCatalogue } from '../../cisco/catalogue';
import { validateProfile, type ProfileEntry, type ValidationIssue } from '../../cisco/profile';
import type { Ua } from '../../cisco/catalogue';
import { DeviceRepository } from '../../devices/repository';
import type { Partition } from '../../profiles/types';

/**
 * The desired Cisco XML parameters of a device: what its rendered configuration profile
 * carries, on the TR-069 Download path and on the phone's own resync path alike.
 *
 * `DesiredConfigSource` is the seam: the renderer and the fs role only read it. The effective
 * desired state (desired/effective.ts) implements it from the profiles that match a device,
 * the device's own parameters and its variables. `StoredDesiredConfig` holds a device's own
 * parameters, set through the API; they beat every profile. Each write mirrors the revision
 * into the device document (`provision.own`) for the sessions.
 */

/** How the rendered profile travels (digest §3). */
export interface DeliverySettings {
  /** gzip the XML before any encryption (001 L818) */
  gzip: boolean;
  /**
   * Encrypt with RFC 8188 aes128gcm using the desired IKM_HTTP_Encrypt_Content, when no rule
   * `--key` applies. Off by default: the phone must already hold that IKM (001 L1023-1027).
   */
  aes128gcm: boolean;
  /**
   * Encrypt the phone's resyncs with a key the ACS generated for this phone alone (GPP_SD,
   * `[--key $SD]` rendered into its rules pointing at the fs role; phone/device-keys.ts). The phone
   * learns the key from a profile it fetched with proof of identity.
   */
  deviceKey: boolean;
}

export const DEFAULT_DELIVERY: DeliverySettings = { gzip: false, aes128gcm: false, deviceKey: false };

export interface DesiredConfig {
  entries: ProfileEntry[];
  delivery: DeliverySettings;
  /** entries served by Profile_Rule_B..D's file instead of Profile_Rule's, by name (render/partitions.ts) */
  partitions?: Record<string, Partition>;
  /** changes with every change of entries or delivery */
  revision: string;
  updatedAt: Date;
}

export interface DesiredConfigSource {
  /** The device's desired configuration; undefined when the ACS has none for it. */
  get(deviceId: string): Promise<DesiredConfig | undefined>;
}

/** `cisco_desired`: which revision is current (small: the fs role reads it on every fetch). */
export interface DesiredHeadDoc {
  _id: string;
  revision: string;
  updatedAt: Date;
  updatedBy?: string;
}

/** `cisco_desired_revisions`: one immutable document per revision, `_id` `<deviceId>/<revision>`. */
export interface DesiredRevisionDoc {
  _id: string;
  deviceId: string;
  entries: ProfileEntry[];
  delivery: DeliverySettings;
  createdAt: Date;
}

export const DESIRED_COLLECTION = 'cisco_desired';
export const DESIRED_REVISIONS = 'cisco_desired_revisions';

export class DesiredConfigError extends Error {
  override name = 'DesiredConfigError';
  constructor(readonly issues: ValidationIssue[]) {
    super(`invalid desired parameters: ${issues.map((i) => i.message).join('; ')}`);
  }
}

export interface DesiredChange {
  /** parameters to set (a later entry of the same name wins, as in a profile) */
  set?: ProfileEntry[];
  /** parameter names to drop from the desired state */
  remove?: string[];
  delivery?: Partial<DeliverySettings>;
}

const UA = new Set<Ua>(['na', 'ro', 'rw']);
const MAX_ATTEMPTS = 5;
/** Bytes of revisions kept in memory per process (a full MPP profile takes about 60 kB). */
const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Desired state in two collections: a small head per device naming the current revision, and
 * the revisions themselves, immutable. A fetch reads the head and finds the revision in memory
 * (immutable, so a cached copy is never stale), which spares FerretDB decoding a thousand
 * parameters per request. A write adds a revision, then moves the head with a compare-and-set:
 * concurrent writers are serialised, and the head never names a revision that does not exist.
 */
export class StoredDesiredConfig implements DesiredConfigSource {
  readonly heads: Collection<DesiredHeadDoc>;
  readonly revisions: Collection<DesiredRevisionDoc>;
  private readonly devices: Pick<DeviceRepository, 'updateProvision'>;
  private readonly cache: LRUCache<string, DesiredRevisionDoc>;

  constructor(db: Db, cacheBytes = DEFAULT_CACHE_BYTES, devices?: DeviceRepository) {
    this.heads = db.collection<DesiredHeadDoc>(DESIRED_COLLECTION);
    this.revisions = db.collection<DesiredRevisionDoc>(DESIRED_REVISIONS);
    this.devices = devices ?? new DeviceRepository(db);
    this.cache = new LRUCache({ maxSize: cacheBytes, sizeCalculation: sizeOf });
  }

  async get(deviceId: string): Promise<DesiredConfig | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await this.heads.findOne({ _id: deviceId });
      if (!head) return undefined;
      const key = revisionKey(deviceId, head.revision);
      let body = this.cache.get(key);
      if (!body) {
        body = (await this.revisions.findOne({ _id: key })) ?? undefined;
        // Replaced (and dropped) by a writer since the head was read: read the head again.
        if (!body) continue;
        this.cache.set(key, body);
      }
      return { entries: body.entries, delivery: { ...DEFAULT_DELIVERY, ...body.delivery }, revision: head.revision, updatedAt: head.updatedAt };
    }
    throw new Error(`desired configuration of ${deviceId} kept changing under ${MAX_ATTEMPTS} reads`);
  }

  /**
   * Replaces the device's desired configuration after checking every entry against the
   * catalogue; nothing is stored when one is wrong.
   */
  async replace(deviceId: string, entries: ProfileEntry[], delivery: Partial<DeliverySettings> = {}, updatedBy?: string): Promise<DesiredConfig> {
    const checked = checkEntries(entries);
    const wanted = { ...DEFAULT_DELIVERY, ...checkDelivery(delivery) };
    return this.write(deviceId, () => ({ entries: checked, delivery: wanted }), updatedBy);
  }

  /** Sets and removes some parameters, keeping the others. */
  async change(deviceId: string, change: DesiredChange, updatedBy?: string): Promise<DesiredConfig> {
    const set = checkEntries(change.set ?? []);
    const delivery = checkDelivery(change.delivery ?? {});
    const removed = new Set([...(change.remove ?? []), ...set.map((e) => e.name)]);
    return this.write(
      deviceId,
      (current) => ({
        entries: [...(current?.entries ?? []).filter((e) => !removed.has(e.name)), ...set],
        delivery: { ...DEFAULT_DELIVERY, ...current?.delivery, ...delivery },
      }),
      updatedBy,
    );
  }

  async remove(deviceId: string): Promise<boolean> {
    const head = await this.heads.findOneAndDelete({ _id: deviceId });
    if (!head) return false;
    await this.revisions.deleteOne({ _id: revisionKey(deviceId, head.revision) });
    await this.devices.updateProvision(deviceId, {}, ['own']);
    return true;
  }

  private async write(
    deviceId: string,
    next: (current: DesiredConfig | undefined) => Pick<DesiredConfig, 'entries' | 'delivery'>,
    updatedBy: string | undefined,
  ): Promise<DesiredConfig> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(deviceId);
      const { entries, delivery } = next(current);
      const revision = newRevision();
      const now = new Date();
      await this.revisions.insertOne({ _id: revisionKey(deviceId, revision), deviceId, entries, delivery, createdAt: now });
      const head: DesiredHeadDoc = { _id: deviceId, revision, updatedAt: now, ...(updatedBy ? { updatedBy } : {}) };
      const moved = current
        ? (await this.heads.replaceOne({ _id: deviceId, revision: current.revision }, head)).modifiedCount === 1
        : await this.heads.insertOne(head).then(
            () => true,
            (err: { code?: number }) => {
              if (err.code === 11000) return false;
              throw err;
            },
          );
      const dropped = moved ? current?.revision : revision;
      if (dropped !== undefined) await this.revisions.deleteOne({ _id: revisionKey(deviceId, dropped) });
      if (moved) {
        // Sessions learn of the change from the device document they read anyway (execute/).
        await this.devices.updateProvision(deviceId, { own: revision });
        return { entries, delivery, revision, updatedAt: now };
      }
    }
    throw new Error(`desired configuration of ${deviceId} kept changing under ${MAX_ATTEMPTS} attempts`);
  }
}

function revisionKey(deviceId: string, revision: string): string {
  return `${deviceId}/${revision}`;
}

function sizeOf(doc: DesiredRevisionDoc): number {
  let n = 256;
  for (const e of doc.entries) n += 48 + e.name.length + e.value.length;
  return n;
}

/**
 * Checks entries against the catalogue (known name, characters, type, rule syntax) and their
 * user access; returns them with the last duplicate winning.
 */
export function checkEntries(entries: ProfileEntry[]): ProfileEntry[] {
  const issues: ValidationIssue[] = validateProfile(entries);
  for (const e of entries) {
    if (e.ua !== undefined && !UA.has(e.ua)) issues.push({ name: e.name, code: 'type', message: `${e.name}: ua "${String(e.ua)}" is not na, ro or rw` });
    if (e.selfClosing && e.value !== '') issues.push({ name: e.name, code: 'type', message: `${e.name}: a self-closing (keep the user's value) entry carries no value` });
  }
  if (issues.length) throw new DesiredConfigError(issues);
  const byName = new Map<string, ProfileEntry>();
  for (const e of entries) {
    byName.delete(e.name);
    byName.set(e.name, {
      name: e.name,
      value: e.value,
      ...(e.ua !== undefined ? { ua: e.ua } : {}),
      ...(e.selfClosing ? { selfClosing: true as const } : {}),
    });
  }
  return [...byName.values()];
}

function checkDelivery(d: Partial<DeliverySettings>): Partial<DeliverySettings> {
  const out: Partial<DeliverySettings> = {};
  for (const key of ['gzip', 'aes128gcm', 'deviceKey'] as const) {
    if (d[key] === undefined) continue;
    if (typeof d[key] !== 'boolean') throw new DesiredConfigError([{ name: key, code: 'type', message: `delivery.${key} must be true or false` }]);
    out[key] = d[key];
  }
  return out;
}

function newRevision(): string {
  return randomBytes(8).toString('hex');
}

/** Desired entries with secret values replaced, for API answers and logs. */
export function redactEntries(entries: ProfileEntry[]): ProfileEntry[] {
  const catalogue = loadCatalogue();
  return entries.map((e) => (catalogue.get(e.name)?.secret && e.value !== '' ? { ...e, value: '********' } : e));
}
