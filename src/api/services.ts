import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import type { AuditLog } from '../audit';
import type { TokenRepository } from '../auth';
import type { Config } from '../config';
import type { DeviceRepository } from '../devices/repository';
import type { TaskDispatcher } from '../jobs/dispatcher';
import type { JobCounter } from '../jobs/progress';
import type { JobQueues } from '../jobs/queues';
import type { JobRepository } from '../jobs/repository';
import type { Logger } from '../log';
import type { TaskRepository } from '../tasks/repository';

/** What route modules get to work with; built once when the api role starts. */
export interface ApiServices {
  config: Config;
  log: Logger;
  db: Db;
  /** for change markers other processes poll (provisioning caches) */
  redis: Redis;
  devices: DeviceRepository;
  tasks: TaskRepository;
  jobs: JobRepository;
  tokens: TokenRepository;
  audit: AuditLog;
  queues: JobQueues;
  dispatcher: TaskDispatcher;
  jobCounter: JobCounter;
}
