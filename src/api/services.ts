import type { RedisClient } from '../stores/redis';
import type { Db } from 'mongodb';
import type { AuditLog } from '../audit';
import type { LoginLockout, SessionStore, TokenRepository } from '../auth';
import type { OidcLogin } from '../auth/oidc/login';
import type { Config } from '../config';
import type { FleetStats } from '../console/fleet-stats';
import type { LiveHub } from '../console/live-hub';
import type { DeviceRepository } from '../devices/repository';
import type { SearchIndex } from '../devices/search-index';
import type { TaskDispatcher } from '../jobs/dispatcher';
import type { JobCounter } from '../jobs/progress';
import type { JobQueues } from '../jobs/queues';
import type { JobRepository } from '../jobs/repository';
import type { Logger } from '../log';
import type { TaskRepository } from '../tasks/repository';
import type { UserStore } from '../users';
import type { Authenticator } from './principal';

/** What route modules get to work with; built once when the api role starts. */
export interface ApiServices {
  config: Config;
  log: Logger;
  db: Db;
  /** for change markers other processes poll (provisioning caches) */
  redis: RedisClient;
  devices: DeviceRepository;
  tasks: TaskRepository;
  jobs: JobRepository;
  tokens: TokenRepository;
  /** console users, their sign-in sessions and failed sign-in counts */
  users: UserStore;
  sessions: SessionStore;
  lockout: LoginLockout;
  /** fleet counters the sessions keep in Redis (the console's overview) */
  fleet: FleetStats;
  /** the device search box's index */
  search: SearchIndex;
  /** the live feed's subscription, fanned out to SSE clients; `close()` ends their streams */
  live: LiveHub;
  /** token or session: the one way requests are authenticated */
  auth: Authenticator;
  audit: AuditLog;
  queues: JobQueues;
  dispatcher: TaskDispatcher;
  jobCounter: JobCounter;
  /** console single sign-on; undefined when ACS_CONSOLE_OIDC_ISSUER is not set */
  oidc?: OidcLogin;
}
