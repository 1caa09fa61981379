import { createHash } from 'node:crypto';

/**
 * The id of a job's task for one device and one RPC of its sequence. Derived, not random: a
 * planning step replayed after a crash produces the same ids, which the store refuses twice,
 * and a release can name a device's tasks without reading them.
 */
export function jobTaskId(jobId: string, deviceId: string, index: number): string {
  return createHash('sha256').update(`${jobId}\n${deviceId}\n${index}`).digest('hex').slice(0, 24);
}

export function chunkId(jobId: string, seq: number): string {
  return `${jobId}-${String(seq).padStart(6, '0')}`;
}
