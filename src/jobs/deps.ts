import type { DeviceRepository } from '../devices/repository';
import type { Logger } from '../log';
import type { TaskRepository } from '../tasks/repository';
import type { TaskDoc } from '../tasks/types';
import type { JobQueues } from './queues';
import type { JobRepository } from './repository';

/** What the job steps work with. */
export interface JobDeps {
  jobs: JobRepository;
  tasks: TaskRepository;
  devices: DeviceRepository;
  queues: JobQueues;
  log: Logger;
  /** Told of a task that ended outside a session (expired, cancelled), so open consoles update. */
  taskEnded: TaskEnded;
}

/** Best effort: it never throws, a lost announcement only leaves a console page stale. */
export type TaskEnded = (task: Pick<TaskDoc, '_id' | 'deviceId' | 'status'>, at: Date) => Promise<void>;

/** A lease outlives a stalled step by this much before another worker may take the job over. */
export const LEASE_MS = 30_000;
