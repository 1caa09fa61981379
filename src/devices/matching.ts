import type { Filter } from 'mongodb';
import { andId, deviceQuery, paramsQuery, type DeviceFilter } from './filter';
import type { DeviceRepository } from './repository';
import type { DeviceDoc } from './types';

export interface MatchOptions {
  /** only ids greater than this, in `_id` order (for pages); without it, store order */
  after?: string;
  batchSize: number;
  /** extra projection of the device documents returned */
  projection?: Record<string, 1>;
}

/**
 * The devices matching a filter, in batches. Conditions on parameters read `device_params`
 * (where learned parameters live) and the other conditions are then checked on those devices
 * batch by batch; without parameter conditions only `devices` is read.
 */
export async function* matchingDevices(repo: DeviceRepository, filter: DeviceFilter, options: MatchOptions): AsyncGenerator<DeviceDoc[]> {
  const onDevices = deviceQuery(filter);
  const onParams = paramsQuery(filter);
  const projection = { _id: 1 as const, ...options.projection };
  const ordered = options.after !== undefined;
  const sort = ordered ? ({ _id: 1 } as const) : undefined;
  if (!onParams) {
    const query: Filter<DeviceDoc> = ordered ? andId(onDevices, { $gt: options.after! }) : onDevices;
    yield* batches(repo.find(query, { projection, sort, batchSize: options.batchSize }), options.batchSize);
    return;
  }
  const withParams = repo.findParams(ordered ? andId(onParams, { $gt: options.after! }) : onParams, { projection: { _id: 1 }, sort, batchSize: options.batchSize });
  for await (const ids of batches(withParams, options.batchSize)) {
    const docs: DeviceDoc[] = [];
    for await (const doc of repo.find(andId(onDevices, { $in: ids.map((d) => d._id) }), { projection, sort })) docs.push(doc);
    if (docs.length) yield docs;
  }
}

async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
