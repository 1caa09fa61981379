import { waveCaps, type Wave } from '../firmware/waves';

/**
 * A job's waves, as firmware rollouts count them (cumulative: `{ percent: 10 }` then
 * `{ count: 500 }` = the first 10 % of the planned devices, then up to 500 in all). The job
 * pauses where a wave ends, before the last device; resuming releases the next wave. Pure.
 */
export type { Wave };

/** The release positions the job pauses at, ascending, each inside (0, devices). */
export function waveEnds(waves: readonly Wave[] | undefined, devices: number): number[] {
  const ends = new Set<number>();
  for (const cap of waveCaps(waves ?? [], devices)) if (cap > 0 && cap < devices) ends.add(cap);
  return [...ends].sort((a, b) => a - b);
}

/** Where the release that starts at `position` stops: the next wave's end, else the last device. */
export function releaseStop(ends: readonly number[], position: number, devices: number): number {
  return ends.find((end) => end > position) ?? devices;
}
