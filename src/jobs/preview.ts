import type { DeviceFilter } from '../devices/filter';
import type { JobDeps } from './deps';
import { targetDevices } from './planner';

export interface JobPreview {
  /** devices the job would cover if it were planned now */
  devices: number;
  /** the first of them, for the operator to recognise */
  sample: string[];
}

/** How many devices a target covers now, read the way planning reads them. */
export async function previewTarget(devices: JobDeps['devices'], target: { deviceIds?: string[]; tag?: string; filter?: DeviceFilter }, sampleSize = 10): Promise<JobPreview> {
  const preview: JobPreview = { devices: 0, sample: [] };
  for await (const ids of targetDevices(devices, target)) {
    preview.devices += ids.length;
    if (preview.sample.length < sampleSize) preview.sample.push(...ids.slice(0, sampleSize - preview.sample.length));
  }
  return preview;
}
