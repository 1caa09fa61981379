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
  const projection = { _id: 1, ...options.projection };
  const ordered = options.after !== undefined;
  if (!onParams) {
    const query: Filter<DeviceDoc> = ordered ? andId(onDevices, { $gt: options.after! }) : onDevices;
    const cursor = repo.collection.find(query, { projection }).batchSize(options.batchSize);
    if (ordered) cursor.sort({ _id: 1 });
    yield* batches(cursor, options.batchSize);
    return;
  }
  const cursor = repo.paramsCollection.find(ordered ? andId(onParams, { $gt: options.after! }) : onParams, { projection: { _id: 1 } }).batchSize(options.batchSize);
  if (ordered) cursor.sort({ _id: 1 });
  for await (const ids of batches(cursor, options.batchSize)) {
    const found = repo.collection.find(andId(onDevices, { $in: ids.map((d) => d._id) }), { projection });
    if (ordered) found.sort({ _id: 1 });
    const docs = await found.toArray();
    if (docs.length) yield docs as DeviceDoc[];
  }
}

async function* batches<T>(cursor: AsyncIterable<T> & { close(): Promise<void> }, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  try {
    for await (const doc of cursor) {
      batch.push(doc);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  } finally {
    await cursor.close();
  }
  if (batch.length) yield batch;
}
