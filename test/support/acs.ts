import { TokenRepository, type ApiRole } from '../../src/auth';
import { createLogger } from '../../src/log';
import { openContext, startRoles, type AppContext, type RunningRole } from '../../src/roles';
import { openTestStores, type TestStores } from './stores';

/** An ACS running in this test process against the test file's own stores. */
export interface TestAcs {
  stores: TestStores;
  ctx: AppContext;
  /** base URL of the CWMP role */
  cwmpUrl: string;
  /** base URL of the fs role ('' unless it runs) */
  fsUrl: string;
  /** base URL of the api role ('' unless it runs); the API itself is under `${apiUrl}/api/v1` */
  apiUrl: string;
  /** base URL of the worker's probe port ('' unless it runs) */
  workerUrl: string;
  /** base URL of the process's metrics listener (ACS_METRICS_PORT): GET /metrics */
  metricsUrl: string;
  /** `syslog://host:port` of the syslog role ('' unless it runs) */
  syslogUrl: string;
  /** `tftp://host:port` of the tftp role ('' unless it runs) */
  tftpUrl: string;
  /** a fresh API token with this role, as `acs token create` makes them */
  token(role: ApiRole, name?: string): Promise<string>;
  close(): Promise<void>;
}

export const CPE_USERNAME = 'cpe';
export const CPE_PASSWORD = 'cpe-secret';

export interface TestAcsOptions {
  roles?: string[];
  /** collect every log record here (as parsed JSON) instead of discarding logs */
  logs?: Array<Record<string, unknown>>;
  /** share another test ACS's stores, as a second replica would */
  stores?: TestStores;
  /** open (and close) the ACS's own stores so, rather than on the test run's Redis */
  openStores?: () => Promise<TestStores>;
}

/** Starts the given roles on free loopback ports; configuration overrides are env variables. */
export async function startTestAcs(overrides: Record<string, string> = {}, options: TestAcsOptions = {}): Promise<TestAcs> {
  const roles = options.roles ?? ['cwmp'];
  const ownStores = !options.stores;
  const stores = options.stores ?? (await (options.openStores ?? openTestStores)());
  const config = stores.config({
    ACS_BIND_ADDRESS: '127.0.0.1',
    ACS_CWMP_PORT: '0',
    ACS_API_PORT: '0',
    ACS_FS_PORT: '0',
    ACS_WORKER_PORT: '0',
    ACS_METRICS_PORT: '0',
    ACS_SYSLOG_PORT: '0',
    ACS_TFTP_PORT: '0',
    ACS_CWMP_USERNAME: CPE_USERNAME,
    ACS_CWMP_PASSWORD: CPE_PASSWORD,
    // Tests count the ACS's MongoDB commands by name, from the driver's command events.
    ACS_MONGO_COMMAND_METRICS: 'true',
    ...(options.logs ? { LOG_LEVEL: 'info' } : {}),
    ...overrides,
  });
  const logs = options.logs;
  const log = logs ? createLogger(config.logLevel, { write: (line: string) => void logs.push(JSON.parse(line)) }) : createLogger(config.logLevel);
  const ctx = await openContext(config, log, { migrate: false });
  let running: RunningRole[] = [];
  try {
    running = await startRoles(ctx, roles);
  } catch (err) {
    await ctx.close();
    if (ownStores) await stores.close();
    throw err;
  }
  return {
    stores,
    ctx,
    cwmpUrl: running.find((r) => r.name === 'cwmp')?.url ?? '',
    fsUrl: running.find((r) => r.name === 'fs')?.url ?? '',
    apiUrl: running.find((r) => r.name === 'api')?.url ?? '',
    workerUrl: running.find((r) => r.name === 'worker')?.url ?? '',
    metricsUrl: running.find((r) => r.name === 'metrics')!.url!,
    syslogUrl: running.find((r) => r.name === 'syslog')?.url ?? '',
    tftpUrl: running.find((r) => r.name === 'tftp')?.url ?? '',
    token: async (role, name = `test-${role}`) => (await new TokenRepository(stores.db).create({ name, role, createdBy: 'test' })).token,
    async close() {
      await Promise.allSettled(running.map((r) => r.close()));
      await ctx.close();
      if (ownStores) await stores.close();
    },
  };
}
