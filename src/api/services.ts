import type { AccountStore } from '../accounts';
import type { RedisClient } from '../stores/redis';
import type { AuditLog } from '../audit';
import type { LoginLockout, SessionStore, TokenRepository } from '../auth';
import type { OidcLogin } from '../auth/oidc/login';
import type { Config } from '../config';
import type { FleetStats } from '../console/fleet-stats';
import type { LiveHub } from '../console/live-hub';
import type { SessionTraceStore } from '../cwmp/trace';
import type { MacDirectory } from '../devices/mac-directory';
import type { DeviceRepository } from '../devices/repository';
import type { SearchIndex } from '../devices/search-index';
import type { FileStore, TransferLog, UrlSigner } from '../files';
import type { FirmwarePolicyStore } from '../firmware/store';
import type { VersionHistory } from '../firmware/version-history';
import type { TaskDispatcher } from '../jobs/dispatcher';
import type { JobCounter } from '../jobs/progress';
import type { JobQueues } from '../jobs/queues';
import type { JobRepository } from '../jobs/repository';
import type { Logger } from '../log';
import type { DeviceVariablesStore, ProfileStore } from '../profiles';
import type { DataModelDiscovery, EffectiveDesiredConfig, HistoryStore, MappingOverrideStore, MatchingDeviceFinder, ProvisioningInspector, ReportStore, StoredDesiredConfig } from '../provisioning';
import type { SyslogEventStore } from '../syslog/store';
import type { TaskRepository } from '../tasks/repository';
import type { UserStore } from '../users';
import type { Authenticator } from './principal';

/**
 * What route modules get to work with: the process's stores and services (roles/compose.ts
 * builds them once). Route modules never open a collection or build a store themselves.
 */
export interface ApiServices {
  config: Config;
  log: Logger;
  /** the live feed's channel and the processes' presence keys */
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
  files: FileStore;
  /** the fs role's transfer log (read here) */
  transfers: TransferLog;
  accounts: AccountStore;
  syslogEvents: SyslogEventStore;
  traces: SessionTraceStore;
  firmware: FirmwarePolicyStore;
  versions: VersionHistory;
  profiles: ProfileStore;
  variables: DeviceVariablesStore;
  mappings: MappingOverrideStore;
  reports: ReportStore;
  history: HistoryStore;
  matching: MatchingDeviceFinder;
  /** each device's own desired parameters */
  desired: StoredDesiredConfig;
  macs: MacDirectory;
  /** profiles, the device's own parameters and variables, merged (what Download flows send) */
  effective: EffectiveDesiredConfig;
  signer: UrlSigner;
  inspector: ProvisioningInspector;
  /** learned data models; GetParameterNames tasks go through the dispatcher */
  discovery: DataModelDiscovery;
}
