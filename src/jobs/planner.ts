import type { DeviceFilter } from '../devices/filter';
import { matchingDevices } from '../devices/matching';
import { LEASE_MS, type JobDeps } from './deps';
import { loadTarget } from './target';
import { CHUNK_SIZE, type JobDoc } from './types';

/**
 * Planning: finds the job's devices once, in one pass over the device collection, and
 * persists them in chunks of a thousand ids, in release order. That is the whole plan: a
 * device's tasks are stored only when it is released (releaser.ts), their ids derived from
 * (job, device, RPC). So planning writes one document per thousand devices, not one per device
 * and RPC, and nothing it writes is seen by a device: it can be replayed from scratch after a
 * crash.
 */
export async function planJob(deps: JobDeps, jobId: string, owner: string): Promise<void> {
  const leased = await deps.jobs.acquireLease(jobId, owner, LEASE_MS, ['planning']);
  if (!leased) return;
  try {
    const job = await deps.jobs.startPlanning(jobId, owner);
    if (!job) return;
    if (job.planAttempts > 1) {
      // An earlier attempt died part-way: its chunks may cover devices that no longer match.
      // (So may the held tasks an earlier version of the ACS stored while planning; none was
      // announced, so they can simply go.)
      await deps.jobs.dropChunks(jobId);
      await deps.tasks.dropUnannounced(jobId);
    }
    const started = Date.now();
    let seq = 0;
    let devices = 0;
    for await (const batch of prefetched(deviceBatches(deps, job))) {
      await deps.jobs.saveChunk(jobId, seq, batch);
      seq += 1;
      devices += batch.length;
      if (!(await deps.jobs.renewLease(jobId, owner, LEASE_MS, 'planning'))) {
        deps.log.info({ event: 'job.planning_stopped', jobId }, 'job no longer planning (cancelled or taken over)');
        return;
      }
    }
    const planned = await deps.jobs.finishPlanning(jobId, owner, { devices, chunks: seq });
    if (!planned) return;
    deps.log.info({ event: 'job.planned', jobId, devices, tasks: devices * job.rpcs.length, ms: Date.now() - started }, 'job planned');
    if (!planned.paused) await deps.queues.release(jobId, 0, Date.now());
  } finally {
    await deps.jobs.dropLease(jobId, owner);
  }
}

/** The job's devices in batches of exactly CHUNK_SIZE (the last one shorter): release positions map onto chunks. */
async function* deviceBatches(deps: JobDeps, job: JobDoc): AsyncGenerator<string[]> {
  let batch: string[] = [];
  for await (const ids of matches(deps, job)) {
    for (const id of ids) {
      batch.push(id);
      if (batch.length === CHUNK_SIZE) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

/** The next batch is read while the current one is written, so reading and writing overlap. */
async function* prefetched<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = source.next();
      // Its failure surfaces when awaited; until then it must not count as unhandled.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await source.return(undefined);
  }
}

function matches(deps: JobDeps, job: JobDoc): AsyncGenerator<string[]> {
  return targetDevices(deps.devices, loadTarget(job.target));
}

/** The ids of a target's devices, in batches (also what the API's preview counts). */
export async function* targetDevices(devices: JobDeps['devices'], target: { deviceIds?: string[]; tag?: string; filter?: DeviceFilter }): AsyncGenerator<string[]> {
  // A listed device deleted since the API checked the list is found out at release.
  if (target.deviceIds) {
    yield target.deviceIds;
    return;
  }
  const filter: DeviceFilter = target.tag !== undefined ? { tags: [target.tag] } : (target.filter ?? {});
  for await (const docs of matchingDevices(devices, filter, { batchSize: CHUNK_SIZE })) yield docs.map((d) => d._id);
}
