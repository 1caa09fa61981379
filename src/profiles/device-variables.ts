import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Collection, Db } from 'mongodb';
import { COLLECTIONS } from '../stores/collections';
import { DeviceRepository } from '../devices/repository';
import { ProfileError } from './store';
import { checkVariables } from './variables';
import { isDeviceKey } from '../devices/id';

/**
 * Per-device variables (`device_variables`, `_id` = device id): the values `${name}` takes in
 * profiles for one device (extension number, line credentials). May be set before the device
 * ever informed (zero-touch: the spreadsheet comes first). Each change gets a new revision,
 * mirrored into the device document (`provision.vars`) so that a session knows from its one
 * read whether the variables changed. Secret variables are never shown by the API.
 */
export interface DeviceVariablesDoc {
  _id: string;
  values: Record<string, string>;
  /** names of the values that are secret */
  secret: string[];
  revision: string;
  updatedAt: Date;
  updatedBy?: string;
}

export const DEVICE_VARIABLES_COLLECTION = COLLECTIONS.deviceVariables;
const MAX_VARIABLES = 256;

export class DeviceVariablesStore {
  readonly collection: Collection<DeviceVariablesDoc>;
  /** immutable per revision, so a cached copy is never stale */
  private readonly cache = new LRUCache<string, DeviceVariablesDoc>({ max: 50_000 });

  constructor(
    db: Db,
    private readonly devices = new DeviceRepository(db),
  ) {
    this.collection = db.collection<DeviceVariablesDoc>(DEVICE_VARIABLES_COLLECTION);
  }

  /** The device's variables; with the revision the caller saw, answered from memory when possible. */
  async get(deviceId: string, revision?: string): Promise<DeviceVariablesDoc | undefined> {
    if (revision !== undefined) {
      const hit = this.cache.get(`${deviceId}\n${revision}`);
      if (hit) return hit;
    }
    const doc = await this.collection.findOne({ _id: deviceId });
    if (doc) this.cache.set(`${deviceId}\n${doc.revision}`, doc);
    return doc ?? undefined;
  }

  /** Replaces the device's variables; `secret` are set like `values` but never shown. */
  async replace(deviceId: string, values: Record<string, string>, secret: Record<string, string> = {}, by?: string): Promise<DeviceVariablesDoc> {
    if (!isDeviceKey(deviceId)) throw new ProfileError(400, `${JSON.stringify(deviceId.slice(0, 70))} is not a device id`);
    const problems = [...checkVariables(values), ...checkVariables(secret, 'secrets')];
    const both = Object.keys(values).filter((k) => Object.hasOwn(secret, k));
    if (both.length) problems.push(`${both[0]} is both a variable and a secret`);
    if (Object.keys(values).length + Object.keys(secret).length > MAX_VARIABLES) problems.push(`more than ${MAX_VARIABLES} variables`);
    if (problems.length) throw new ProfileError(422, `variables of ${deviceId} refused: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
    const doc: DeviceVariablesDoc = {
      _id: deviceId,
      values: { ...values, ...secret },
      secret: Object.keys(secret).sort(),
      revision: randomBytes(8).toString('hex'),
      updatedAt: new Date(),
      ...(by ? { updatedBy: by } : {}),
    };
    await this.collection.replaceOne({ _id: deviceId }, doc, { upsert: true });
    await this.devices.updateFields(deviceId, { set: { 'provision.vars': doc.revision } });
    return doc;
  }

  async remove(deviceId: string): Promise<boolean> {
    const r = await this.collection.deleteOne({ _id: deviceId });
    await this.devices.updateFields(deviceId, { unset: ['provision.vars'] });
    return r.deletedCount === 1;
  }
}
