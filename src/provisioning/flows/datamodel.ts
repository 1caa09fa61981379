import type { Collection, Db } from 'mongodb';
import type { DataModelMatch } from '../../cisco/mapping';
import { escapePart } from '../../devices/id';
import { leaves } from '../../devices/params';
import type { DeviceRepository } from '../../devices/repository';
import type { ParamTree } from '../../devices/types';
import type { TaskRepository } from '../../tasks/repository';
import { DEFAULT_TASK_LIFETIME_MS, type TaskQueue } from './downloads';
import type { MappingOverrideStore } from '../stores/mapping-overrides';

/**
 * Learning a phone model's real data model. Cisco's XML <-> TR-069 comparison table is not in
 * our references, so the ACS asks a device for its whole tree (GetParameterNames "" with
 * NextLevel false), keeps the parameter names per product class and firmware in
 * `cisco_datamodels`, and reports which catalogue parameters have their candidate path there.
 *
 * The session engine stores the GetParameterNames answer in the device document like any
 * other; the names are copied from there the first time the result is asked for after the
 * task is done.
 */

export interface DataModelDoc {
  /** `<productClass>-<softwareVersion>`, each part escaped as in device ids */
  _id: string;
  productClass: string;
  softwareVersion: string;
  state: 'pending' | 'captured' | 'failed';
  deviceId: string;
  taskId: string;
  requestedAt: Date;
  /** parameter names (leaves) of the tree */
  paths?: string[];
  /** how many `paths` */
  parameters?: number;
  capturedAt?: Date;
  error?: string;
}

export type DataModelSummary = Omit<DataModelDoc, 'paths' | '_id'>;

export const DATAMODELS_COLLECTION = 'cisco_datamodels';

export class DataModelError extends Error {
  override name = 'DataModelError';
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export function dataModelKey(productClass: string, softwareVersion: string): string {
  return `${escapePart(productClass)}-${escapePart(softwareVersion)}`;
}

export class DataModelDiscovery {
  readonly collection: Collection<DataModelDoc>;

  constructor(
    db: Db,
    private readonly tasks: TaskRepository,
    private readonly devices: DeviceRepository,
    private readonly mappings: MappingOverrideStore,
    /** where the GetParameterNames task is queued (the API's dispatcher can wake the device) */
    private readonly queue: TaskQueue = tasks,
  ) {
    this.collection = db.collection<DataModelDoc>(DATAMODELS_COLLECTION);
  }

  /** Queues the GetParameterNames of the whole tree for the device's product class and firmware. */
  async start(deviceId: string, options: { expiresAt?: Date; connectionRequest?: boolean; createdBy?: string } = {}): Promise<DataModelDoc> {
    const device = await this.devices.get(deviceId, { deviceId: 1, softwareVersion: 1 });
    if (!device) throw new DataModelError(404, `unknown device ${deviceId}`);
    const productClass = device.deviceId?.productClass;
    const softwareVersion = device.softwareVersion;
    if (!productClass || !softwareVersion) throw new DataModelError(409, `device ${deviceId} has not reported its product class and software version yet`);
    const task = await this.queue.queue(
      deviceId,
      { method: 'GetParameterNames', parameterPath: '', nextLevel: false },
      { expiresAt: options.expiresAt ?? new Date(Date.now() + DEFAULT_TASK_LIFETIME_MS), connectionRequest: options.connectionRequest ?? false, createdBy: options.createdBy ?? 'acs' },
    );
    const doc: DataModelDoc = {
      _id: dataModelKey(productClass, softwareVersion),
      productClass,
      softwareVersion,
      state: 'pending',
      deviceId,
      taskId: task._id,
      requestedAt: new Date(),
    };
    await this.collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
    return doc;
  }

  /** The stored model, captured from the device once its task is done. */
  async get(productClass: string, softwareVersion: string): Promise<DataModelDoc | undefined> {
    const doc = await this.collection.findOne({ _id: dataModelKey(productClass, softwareVersion) });
    if (!doc || doc.state !== 'pending') return doc ?? undefined;
    const task = await this.tasks.get(doc.taskId);
    if (!task || task.status === 'pending' || task.status === 'sent') return doc;
    let update: Partial<DataModelDoc>;
    if (task.status === 'done') {
      const device = await this.devices.getWithParams(doc.deviceId);
      const paths = [...leaves((device?.params ?? {}) as ParamTree)].map(([name]) => name).sort();
      update = { state: 'captured', paths, parameters: paths.length, capturedAt: new Date() };
    } else {
      update = { state: 'failed', error: task.fault ? `${task.fault.code}: ${task.fault.message}` : `task ${task.status}` };
    }
    // Only the capture of this very request counts: a newer start() replaced the document.
    await this.collection.updateOne({ _id: doc._id, taskId: doc.taskId, state: 'pending' }, { $set: update });
    return { ...doc, ...update };
  }

  /** Which catalogue parameters the captured model has (with the product class's overrides). */
  async match(productClass: string, softwareVersion: string): Promise<{ model: DataModelSummary; match?: DataModelMatch }> {
    const doc = await this.get(productClass, softwareVersion);
    if (!doc) throw new DataModelError(404, `no data model learned for ${productClass} ${softwareVersion}`);
    const model = summary(doc);
    if (doc.state !== 'captured') return { model };
    return { model, match: (await this.mappings.mapper(productClass)).matchDataModel(doc.paths ?? []) };
  }

  /** The parameter names learned for a product class and firmware (for planDelivery), once captured. */
  async paths(productClass: string, softwareVersion: string): Promise<ReadonlySet<string> | undefined> {
    const doc = await this.get(productClass, softwareVersion);
    return doc?.state === 'captured' ? new Set(doc.paths) : undefined;
  }

  async list(): Promise<DataModelSummary[]> {
    const docs = await this.collection.find({}, { projection: { paths: 0 } }).toArray();
    return docs.map(summary).sort((a, b) => a.productClass.localeCompare(b.productClass) || a.softwareVersion.localeCompare(b.softwareVersion));
  }
}

function summary(doc: DataModelDoc): DataModelSummary {
  const { _id, paths, ...rest } = doc;
  return rest;
}
