import type { SessionDevices } from '../../../src/cwmp/session/ports';
import type { DeviceUpdate, FieldUpdate, Learned, NamesListing } from '../../../src/devices/learn';
import { mergeNames, parsePath, subtree } from '../../../src/devices/params';
import { makeCredentials, type DeviceSessionView } from '../../../src/devices/repository';
import type { DeviceDoc, DeviceWithParams, ParamTree } from '../../../src/devices/types';
import { applyUpdate, copy, project, type Doc, type Update } from './documents';

const SESSION_VIEW = { taskQueue: 1, credentials: 1, informDigest: 1, eventTimes: 1, mac: 1 } as const;

/**
 * DeviceRepository in memory: the device documents and their parameter trees, updated with
 * MongoDB's semantics (test/integration/stores/conformance/devices.test.ts holds both to one
 * contract).
 */
export class MemoryDevices implements SessionDevices {
  private readonly docs = new Map<string, Doc>();
  private readonly params = new Map<string, Doc>();

  /** Stores a device document as it is (a test's starting point). */
  async insert(doc: DeviceDoc): Promise<void> {
    if (this.docs.has(doc._id)) throw new Error(`duplicate key: device ${doc._id}`);
    this.docs.set(doc._id, copy(doc) as unknown as Doc);
  }

  async sessionView(id: string, extraFields: readonly string[] = []): Promise<(DeviceSessionView & Partial<DeviceDoc>) | null> {
    const projection: Record<string, 1> = { ...SESSION_VIEW };
    for (const f of extraFields) projection[f] = 1;
    return this.get(id, projection);
  }

  async get(id: string, projection?: Record<string, 0 | 1>): Promise<DeviceDoc | null> {
    const doc = this.docs.get(id);
    return doc ? (project(doc, projection) as unknown as DeviceDoc) : null;
  }

  async getWithParams(id: string): Promise<DeviceWithParams | null> {
    const device = await this.get(id);
    return device ? { ...device, params: copy((this.params.get(id)?.params as ParamTree | undefined) ?? {}) } : null;
  }

  async applyInform(id: string, update: DeviceUpdate, setOnInsert: Record<string, unknown>): Promise<void> {
    let doc = this.docs.get(id);
    if (!doc) {
      doc = { _id: id };
      applyUpdate(doc, { set: setOnInsert });
      this.docs.set(id, doc);
    }
    applyUpdate(doc, update.summary);
    this.writeParams(id, update.params);
  }

  async apply(id: string, update: DeviceUpdate, finishedTasks: string[] = []): Promise<void> {
    const doc = this.docs.get(id);
    if (doc) applyUpdate(doc, { ...update.summary, pullAll: finishedTasks.length ? { taskQueue: finishedTasks } : {} });
    this.writeParams(id, update.params);
  }

  async learn(id: string, learned: Learned, now: Date): Promise<void> {
    if (learned.listing) this.applyListing(id, learned.listing, now);
    this.writeParams(id, learned.params);
  }

  async enqueueTask(id: string, taskId: string): Promise<boolean> {
    const doc = this.docs.get(id);
    if (doc) applyUpdate(doc, { push: { taskQueue: taskId } });
    return !!doc;
  }

  async announceTasks(id: string, taskIds: string[]): Promise<boolean> {
    const doc = this.docs.get(id);
    if (doc) applyUpdate(doc, { addToSet: { taskQueue: taskIds } });
    return !!doc;
  }

  async dequeueTasks(id: string, taskIds: string[]): Promise<void> {
    const doc = this.docs.get(id);
    if (doc && taskIds.length) applyUpdate(doc, { pullAll: { taskQueue: taskIds } });
  }

  async setCredentials(id: string, credential: { username: string; password: string } | null, realm: string): Promise<boolean> {
    const doc = this.docs.get(id);
    if (doc) applyUpdate(doc, credential ? { set: { credentials: makeCredentials(credential.username, credential.password, realm) } } : { unset: ['credentials'] });
    return !!doc;
  }

  /** Updates the device document as findOneAndUpdate does; the document before, or null (no such device). */
  async findAndUpdate(id: string, update: Update): Promise<DeviceDoc | null> {
    const doc = this.docs.get(id);
    if (!doc) return null;
    const before = copy(doc) as unknown as DeviceDoc;
    applyUpdate(doc, update);
    return before;
  }

  /** The parameter tree's document is created by its first write, like an upsert. */
  private writeParams(id: string, update: FieldUpdate): void {
    if (!Object.keys(update.set).length && !update.unset.length) return;
    const doc = this.params.get(id) ?? { _id: id };
    this.params.set(id, doc);
    applyUpdate(doc, update);
  }

  private applyListing(id: string, listing: NamesListing, now: Date): void {
    const segments = listing.path === '' ? [] : parsePath(listing.path).segments;
    const field = ['params', ...segments].join('.');
    const known = subtree(this.params.get(id)?.params as ParamTree | undefined, segments);
    this.writeParams(id, { set: { [field]: mergeNames(known, listing.path, listing.names, listing.nextLevel, now) }, unset: [] });
  }
}
