import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config';
import { createFirstAdminToken, ensureLocalCredentials, formatBanner, recordLocalAcs, type BannerSection, type LocalCredentials } from '../../local';
import { createLogger } from '../../log';
import { openContext, parseRoles, ROLES, startRoles, type RunningRole } from '../../roles';
import { redactMongoUrl, redactRedisUrl, resolveStores } from '../../stores';
import { defaultDataDir } from '../../stores/paths';
import { CliError, EXIT, UsageError } from '../errors';
import { packageVersion } from '../version';

/** The variable that sets each role's port, for a message when that port is taken. */
const PORT_VARIABLES: Record<string, { variable: string; port: (c: Config) => number }> = {
  cwmp: { variable: 'ACS_CWMP_PORT', port: (c) => c.cwmpPort },
  api: { variable: 'ACS_API_PORT', port: (c) => c.apiPort },
  fs: { variable: 'ACS_FS_PORT', port: (c) => c.fsPort },
  worker: { variable: 'ACS_WORKER_PORT', port: (c) => c.workerPort },
  tftp: { variable: 'ACS_TFTP_PORT', port: (c) => c.tftp.port },
};

/** How to run `acs` from the checkout `npm start` runs in, whether or not it is on PATH. */
const ACS = 'node dist/src/cli/main.js';
import { firstStartLines } from '../../users';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run ACS roles (default: all of them in one process)')
    .option('--roles <list>', `comma-separated roles: ${Object.keys(ROLES).join(', ')}`, Object.keys(ROLES).join(','))
    .option('--local-stores', 'find or start MongoDB (or FerretDB) and Redis on this machine, and generate first-run credentials')
    .action(async (opts: { roles: string; localStores?: boolean }) => {
      let roles: string[];
      try {
        roles = parseRoles(opts.roles);
      } catch (err) {
        throw new UsageError(`--roles: ${(err as Error).message}`);
      }
      const base = loadConfig();
      const log = createLogger(base.logLevel, undefined, base.logFormat);
      const local = !!opts.localStores;
      const dataDir = defaultDataDir();
      const stores = await resolveStores({ local, config: base, log: (message) => log.info({ event: 'stores' }, message) });
      const credentials = local ? ensureLocalCredentials(dataDir) : undefined;
      const config = withLocalCredentials({ ...base, mongodbUrl: stores.mongodbUrl, redisUrl: stores.redisUrl }, credentials?.credentials);
      let ctx;
      try {
        ctx = await openContext(config, log, { migrate: true });
      } catch (err) {
        await stores.stop();
        throw err;
      }
      let running: RunningRole[];
      try {
        running = await startRoles(ctx, roles);
      } catch (err) {
        await ctx.close();
        await stores.stop();
        throw portTaken(err, config) ?? err;
      }
      const url = (name: string) => running.find((r) => r.name === name)?.url;
      const forget = local ? recordLocalAcs(dataDir, { cwmpUrl: loopback(url('cwmp')), apiUrl: loopback(url('api')), fsUrl: loopback(url('fs')) }) : undefined;
      const firstToken = local && roles.includes('api') ? await createFirstAdminToken(ctx.stores.tokens) : undefined;
      for (const r of running) log.info({ event: 'role.started', role: r.name, url: r.url }, `${r.name} role ${r.url ? `listening on ${r.url}` : 'started'}`);
      // The password goes to the terminal once, not into the structured log that may be shipped elsewhere.
      const firstAdmin = roles.includes('api') ? await firstStartLines(ctx.stores.users) : [];
      if (firstAdmin.length) log.warn({ event: 'users.first_admin' }, 'first console user created; its password is printed once on stderr');
      log.info({ event: 'ready', roles, mongodb: redactMongoUrl(config.mongodbUrl), redis: redactRedisUrl(config.redisUrl) }, 'ready');
      process.stderr.write(
        formatBanner(`cwmp-acs ${packageVersion()} ready (pid ${process.pid})`, [
          { title: 'Roles', lines: running.map((r) => `${r.name.padEnd(7)} ${r.url ?? '(no port)'}${ROLE_NOTES[r.name] ?? ''}`) },
          storesSection(config, local ? dataDir : undefined),
          { title: 'Console', lines: url('api') ? [`${loopback(url('api'))}/ (sign in in a browser)`, ...firstAdmin] : firstAdmin },
          ...(credentials ? firstRunSections(base, credentials.credentials, dataDir, firstToken, loopback(url('cwmp'))) : []),
        ]),
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      log.info({ event: 'shutdown' }, 'shutting down');
      forget?.();
      await Promise.allSettled(running.map((r) => r.close()));
      await ctx.close();
      await stores.stop();
    });
}

const ROLE_NOTES: Record<string, string> = {
  cwmp: '  (devices: any path)',
  api: '/api/v1',
  worker: '  (health only; metrics of every role on ACS_METRICS_PORT)',
};

/**
 * The generated credentials stand in for ACS_CWMP_USERNAME/PASSWORD and ACS_CR_USERNAME/
 * PASSWORD where those are unset, so a local ACS has a way in from its first start.
 */
export function withLocalCredentials(config: Config, credentials: LocalCredentials | undefined): Config {
  if (!credentials) return config;
  return {
    ...config,
    cwmp: { ...config.cwmp, credential: config.cwmp.credential ?? credentials.device },
    connectionRequests: { ...config.connectionRequests, credential: config.connectionRequests.credential ?? credentials.connectionRequest },
  };
}

/** A URL on the wildcard address, as a client on this machine reaches it. */
function loopback(url: string | undefined): string | undefined {
  return url?.replace(/^(https?:\/\/)(0\.0\.0\.0|\[::\])(?=:)/, '$1127.0.0.1');
}

function storesSection(config: Config, dataDir: string | undefined): BannerSection {
  return {
    title: 'Stores',
    lines: [`MongoDB ${redactMongoUrl(config.mongodbUrl)}`, `Redis   ${redactRedisUrl(config.redisUrl)}`, ...(dataDir ? [`local data in ${dataDir} (FerretDB's under ferretdb/)`] : [])],
  };
}

function firstRunSections(base: Config, credentials: LocalCredentials, dataDir: string, firstToken: { token: string } | undefined, cwmpUrl: string | undefined): BannerSection[] {
  const device = base.cwmp.credential
    ? [`device credential: ${base.cwmp.credential.username} (ACS_CWMP_USERNAME)`]
    : [`device credential: ${credentials.device.username}, password in ${dataDir}/credentials.json (or set ACS_CWMP_USERNAME/ACS_CWMP_PASSWORD)`];
  const cr = base.connectionRequests.credential
    ? [`connection requests: ${base.connectionRequests.credential.username} (ACS_CR_USERNAME)`]
    : [`connection requests: ${credentials.connectionRequest.username}, password in the same file (or set ACS_CR_USERNAME/ACS_CR_PASSWORD)`];
  const token = firstToken
    ? [`first admin API token (shown only now): export ACS_API_TOKEN=${firstToken.token}`]
    : [`API token: \`${ACS} token create --name me --role admin\` prints a new one`];
  return [
    { title: 'Way in', lines: [...device, ...cr, ...token] },
    {
      title: 'Try',
      lines: cwmpUrl
        ? [`${ACS} sim --count 10          (simulated phones, with the credentials above)`, `${ACS} devices list`, `${ACS} tasks add <id> get Device.DeviceInfo. --connection-request`]
        : [`${ACS} devices list`],
    },
  ];
}

/** A role whose port is taken: one line naming the port and the variable that moves it. */
function portTaken(err: unknown, config: Config): CliError | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code !== 'EADDRINUSE') return undefined;
  const role = Object.entries(PORT_VARIABLES).find(([, v]) => v.port(config) === e.port);
  const which = role ? ` (${role[0]} role, ${role[1].variable})` : '';
  return new CliError(`port ${e.port ?? '?'} is already in use${which}: stop the process that holds it (another acs serve?) or choose another port${role ? ` with ${role[1].variable}` : ''}`, EXIT.failure);
}
