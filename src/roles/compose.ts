import type { Db } from 'mongodb';
import type { RedisClient } from '../stores/redis';
import { AccountStore } from '../accounts';
import type { ApiServices } from '../api/services';
import { Authenticator } from '../api/principal';
import { AuditLog } from '../audit';
import { LoginLockout, SessionStore, TokenRepository } from '../auth';
import { OidcLogin } from '../auth/oidc/login';
import type { Config } from '../config';
import { liveTaskEnded } from '../console/events';
import { ConsoleFeed } from '../console/feed';
import { FleetStats } from '../console/fleet-stats';
import { LiveHub } from '../console/live-hub';
import { NonceIssuer } from '../cwmp/auth/digest';
import { AuthStore } from '../cwmp/session/store';
import { SessionTraceRecorder, SessionTraceStore, WatchedSessionStore } from '../cwmp/trace';
import { MacDirectory } from '../devices/mac-directory';
import { DeviceRepository } from '../devices/repository';
import { SearchIndex } from '../devices/search-index';
import { FileStore, TransferLog, UrlSigner } from '../files';
import { FirmwarePolicyStore } from '../firmware/store';
import { VersionHistory } from '../firmware/version-history';
import type { TaskEnded } from '../jobs/deps';
import { TaskDispatcher } from '../jobs/dispatcher';
import { JobCounter } from '../jobs/progress';
import { JobQueues } from '../jobs/queues';
import { JobRepository } from '../jobs/repository';
import type { Logger } from '../log';
import { DeviceVariablesStore, ProfileStore } from '../profiles';
import {
  AppliedStore,
  ChangeMarker,
  DataModelDiscovery,
  DeviceProvisionStore,
  HistoryStore,
  MappingOverrideStore,
  MatchingDeviceFinder,
  PhoneThrottle,
  ProvisioningInspector,
  ReportStore,
  startProvisioning,
  StoredDesiredConfig,
  type Provisioning,
} from '../provisioning';
import { SyslogEventStore } from '../syslog/store';
import { TaskRepository } from '../tasks/repository';
import { UserStore } from '../users';
import { lazily } from './lazy';
import { buildPhoneService, type PhoneService } from './phone-service';

/**
 * The composition root: every store, queue and shared service of one process is built here,
 * once, on first use (so a process builds what its roles use), and closed here, in the reverse
 * order of building. Roles and route modules receive them; none of them calls `new` on a store.
 */

/** MAC lookups answered from memory this long (the fs and syslog roles serve hundreds a second; a moved MAC is re-checked against the device anyway). */
const MAC_CACHE_MS = 5000;

/** What a store's or service's owner must do when the process stops. */
type Close = () => Promise<void> | void;

/** The MongoDB stores: each collection's one owner (`src/stores/README.md`). */
export interface MongoStores {
  devices: DeviceRepository;
  tasks: TaskRepository;
  jobs: JobRepository;
  tokens: TokenRepository;
  users: UserStore;
  audit: AuditLog;
  search: SearchIndex;
  macs: MacDirectory;
  files: FileStore;
  /** the fs role's transfer log, written in batches (flushed at close) */
  transfers: TransferLog;
  accounts: AccountStore;
  syslogEvents: SyslogEventStore;
  versions: VersionHistory;
  variables: DeviceVariablesStore;
  mappings: MappingOverrideStore;
  reports: ReportStore;
  history: HistoryStore;
  applied: AppliedStore;
  /** each device's own desired parameters */
  desired: StoredDesiredConfig;
  matching: MatchingDeviceFinder;
}

/** The Redis stores (sessions, counters, markers, throttles), and the MongoDB stores that tell Redis of their writes. */
export interface Stores extends MongoStores {
  /** CWMP sessions, telling the trace recorder of each state stored */
  sessions: WatchedSessionStore;
  /** Digest nonces and failed-login counts of devices */
  deviceAuth: AuthStore;
  /** console sign-in sessions */
  consoleSessions: SessionStore;
  lockout: LoginLockout;
  fleet: FleetStats;
  feed: ConsoleFeed;
  /** tells every process that profiles or firmware policies changed */
  marker: ChangeMarker;
  throttle: PhoneThrottle;
  live: LiveHub;
  /** console single sign-on's pending logins; undefined when ACS_CONSOLE_OIDC_ISSUER is not set */
  oidc: OidcLogin | undefined;
  profiles: ProfileStore;
  firmware: FirmwarePolicyStore;
  /** the last sessions of each device, written in groups (flushed at close) */
  traces: SessionTraceStore;
}

/** The services every role of the process shares. Promises are started once, by the first role that reads them. */
export interface Services {
  queues: JobQueues;
  dispatcher: TaskDispatcher;
  taskEnded: TaskEnded;
  /** signs the download URLs the fs role checks */
  signer: UrlSigner;
  nonces: NonceIssuer;
  traceRecorder: SessionTraceRecorder;
  /** learned data models; its GetParameterNames tasks go straight to the task store */
  discovery: DataModelDiscovery;
  /** profiles and firmware policies in memory (the process's one snapshot), the effective desired state, the reconciler */
  provisioning: Promise<Provisioning>;
  /** the phones' channel, shared by fs (HTTP) and tftp */
  phoneService: Promise<PhoneService>;
  /** what the API's route modules work with */
  api: Promise<ApiServices>;
}

/** The connections and settings the root builds on (roles/context.ts opens them). */
export interface Connections {
  config: Config;
  log: Logger;
  db: Db;
  redis: RedisClient;
  /** key for Digest nonces and signed URLs, the same on every replica */
  secret: Buffer;
  /** true when MongoDB and Redis both answer */
  ready(): Promise<boolean>;
}

export interface Composition {
  stores: Stores;
  services: Services;
  /** closes what was built, last built first */
  close(): Promise<void>;
}

/** Closes in the reverse order of `add`, each once, one after the other; one that fails does not keep the others open. */
function closeStack(log: Logger): { add: <T>(value: T, close: (value: T) => Promise<void> | void) => T; close(): Promise<void> } {
  const closers: Close[] = [];
  return {
    add: (value, close) => {
      closers.push(() => close(value));
      return value;
    },
    close: async () => {
      for (const close of closers.splice(0).reverse()) {
        try {
          await close();
        } catch (err) {
          log.warn({ event: 'shutdown.close_failed', err: (err as Error).message }, 'a store or service did not close cleanly');
        }
      }
    },
  };
}

/** The MongoDB stores alone, for commands that open no Redis (`acs user`, `acs token`). */
export function mongoStores(db: Db, config: Config, log: Logger, closing: (close: Close) => void = () => undefined): MongoStores {
  const stores: MongoStores = lazily<MongoStores>({
    devices: () => new DeviceRepository(db),
    tasks: () => new TaskRepository(db, stores.devices),
    jobs: () => new JobRepository(db),
    tokens: () => new TokenRepository(db),
    users: () => new UserStore(db),
    audit: () => new AuditLog(db),
    search: () => new SearchIndex(db, stores.devices),
    macs: () => new MacDirectory(db, MAC_CACHE_MS, stores.devices),
    files: () => new FileStore(db, config.fs.maxFileBytes),
    transfers: () => {
      const transfers = new TransferLog(db, log.child({ role: 'fs' }));
      closing(() => transfers.close());
      return transfers;
    },
    accounts: () => new AccountStore(db),
    syslogEvents: () => new SyslogEventStore(db, config.syslog),
    versions: () => new VersionHistory(db),
    variables: () => new DeviceVariablesStore(db, stores.devices),
    mappings: () => new MappingOverrideStore(db),
    reports: () => new ReportStore(db),
    history: () => new HistoryStore(db),
    applied: () => new AppliedStore(db),
    desired: () => new StoredDesiredConfig(db, undefined, stores.devices),
    matching: () => new MatchingDeviceFinder(stores.devices),
  });
  return stores;
}

/** Everything one process's roles share, built on its connections. */
export function compose(c: Connections): Composition {
  const { config, log, db, redis, secret } = c;
  const prefix = config.redisPrefix;
  const stack = closeStack(log);
  const mongo = mongoStores(db, config, log, (close) => stack.add(undefined, close));
  const redisStores = lazily<Omit<Stores, keyof MongoStores>>({
    sessions: () => new WatchedSessionStore(redis, prefix, config.cwmp.sessionTimeoutSeconds * 1000),
    deviceAuth: () => new AuthStore(redis, prefix),
    consoleSessions: () => new SessionStore(redis, prefix, { idleSeconds: config.console.sessionIdleSeconds, maxSeconds: config.console.sessionMaxSeconds }),
    lockout: () => new LoginLockout(redis, prefix, { perName: config.console.loginFailLimit, perAddress: config.console.loginFailIpLimit, windowSeconds: config.console.loginFailWindowSeconds }),
    fleet: () => new FleetStats(redis, prefix),
    feed: () =>
      stack.add(
        new ConsoleFeed(redis, prefix, (err) => log.warn({ event: 'console.publish_failed', err: (err as Error).message }, 'live events not published')),
        (feed) => feed.close(),
      ),
    marker: () => new ChangeMarker(redis, prefix),
    throttle: () => new PhoneThrottle(redis, prefix, { budget: config.fs.phones.unprovenBudget, windowSeconds: config.fs.phones.unprovenWindowSeconds }),
    // The api role ends its clients' streams when it stops (its server cannot close before).
    live: () => new LiveHub(redis, prefix, log.child({ role: 'api' })),
    oidc: () => (config.console.oidc ? new OidcLogin(config.console.oidc, redis, prefix) : undefined),
    profiles: () => new ProfileStore(db, () => stores.marker.bump('profiles')),
    firmware: () => new FirmwarePolicyStore(db, stores.files, () => stores.marker.bump('firmware'), stores.devices),
    traces: () => {
      // Built first, the feed closes after the traces' last writes have announced themselves.
      const feed = stores.feed;
      return stack.add(
        new SessionTraceStore(db, config.trace, log, (doc) => void feed.sessionRecorded({ deviceId: doc.deviceId, sessionId: String(doc.seq), at: new Date() }), stores.devices),
        (traces) => traces.flush(),
      );
    },
  });
  // One object with both halves' lazy properties (spreading would build them all).
  const stores = Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(mongo), ...Object.getOwnPropertyDescriptors(redisStores) }) as Stores;

  const services: Services = lazily<Services>({
    queues: () => stack.add(new JobQueues(config, log), (queues) => queues.close()),
    taskEnded: () => liveTaskEnded(redis, prefix, log),
    dispatcher: () => new TaskDispatcher({ tasks: stores.tasks, devices: stores.devices, queues: services.queues, log, taskEnded: services.taskEnded }),
    signer: () => new UrlSigner(secret, config.publicFsUrl),
    nonces: () => new NonceIssuer(secret, config.cwmp.nonceTtlSeconds * 1000),
    traceRecorder: () => {
      const sessions = stores.sessions;
      const recorder = new SessionTraceRecorder({ store: stores.traces, sessions, log: log.child({ role: 'cwmp' }) });
      sessions.watchWith(recorder);
      return stack.add(recorder, (r) => r.close());
    },
    discovery: () => new DataModelDiscovery(db, stores.tasks, stores.devices, stores.mappings),
    provisioning: async () =>
      stack.add(
        await startProvisioning({
          db,
          config,
          log,
          marker: stores.marker,
          devices: stores.devices,
          tasks: stores.tasks,
          files: stores.files,
          signer: services.signer,
          mappings: stores.mappings,
          datamodels: services.discovery,
          firmware: stores.firmware,
          history: stores.history,
          applied: stores.applied,
          desired: stores.desired,
          variables: stores.variables,
        }),
        (p) => p.close(),
      ),
    phoneService: async () => {
      const { effective } = await services.provisioning;
      return buildPhoneService({ config, log: log.child({ part: 'phones' }), secret, effective, nonces: services.nonces, stores });
    },
    api: async () => {
      const { snapshot, effective } = await services.provisioning;
      const apiLog = log.child({ role: 'api' });
      return {
        config,
        log: apiLog,
        redis,
        devices: stores.devices,
        tasks: stores.tasks,
        jobs: stores.jobs,
        tokens: stores.tokens,
        users: stores.users,
        sessions: stores.consoleSessions,
        lockout: stores.lockout,
        fleet: stores.fleet,
        search: stores.search,
        live: stores.live,
        auth: new Authenticator({ tokens: stores.tokens, users: stores.users, sessions: stores.consoleSessions, secret }),
        audit: stores.audit,
        queues: services.queues,
        dispatcher: services.dispatcher,
        jobCounter: new JobCounter(stores.tasks),
        oidc: stores.oidc,
        files: stores.files,
        transfers: stores.transfers,
        accounts: stores.accounts,
        syslogEvents: stores.syslogEvents,
        traces: stores.traces,
        firmware: stores.firmware,
        versions: stores.versions,
        profiles: stores.profiles,
        variables: stores.variables,
        mappings: stores.mappings,
        reports: stores.reports,
        history: stores.history,
        matching: stores.matching,
        desired: stores.desired,
        macs: stores.macs,
        effective,
        signer: services.signer,
        inspector: new ProvisioningInspector(new DeviceProvisionStore(stores.devices), snapshot, effective, stores.mappings, services.discovery, stores.reports),
        // The API's GetParameterNames tasks go through the dispatcher, which can wake the device.
        discovery: new DataModelDiscovery(db, stores.tasks, stores.devices, stores.mappings, services.dispatcher),
      };
    },
  });
  return { stores, services, close: () => stack.close() };
}
