import type { DeviceRepository } from '../devices/repository';
import type { Logger } from '../log';
import type { TaskRepository } from '../tasks/repository';
import type { JobQueues } from './queues';
import type { JobRepository } from './repository';

/** What the job steps work with. */
export interface JobDeps {
  jobs: JobRepository;
  tasks: TaskRepository;
  devices: DeviceRepository;
  queues: JobQueues;
  log: Logger;
}

/** A lease outlives a stalled step by this much before another worker may take the job over. */
export const LEASE_MS = 30_000;
