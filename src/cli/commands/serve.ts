import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { createLogger } from '../../log';
import { openContext, parseRoles, ROLES, startRoles } from '../../roles';
import { resolveStores } from '../../stores';
import { firstStartLines, UserStore } from '../../users';
import { UsageError } from '../errors';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run ACS roles (default: all of them in one process)')
    .option('--roles <list>', `comma-separated roles: ${Object.keys(ROLES).join(', ')}`, Object.keys(ROLES).join(','))
    .option('--local-stores', 'find or start MongoDB (or FerretDB) and Redis on this machine')
    .action(async (opts: { roles: string; localStores?: boolean }) => {
      let roles: string[];
      try {
        roles = parseRoles(opts.roles);
      } catch (err) {
        throw new UsageError(`--roles: ${(err as Error).message}`);
      }
      const base = loadConfig();
      const log = createLogger(base.logLevel);
      const stores = await resolveStores({ local: !!opts.localStores, config: base, log: (message) => log.info({ event: 'stores' }, message) });
      const config = { ...base, mongodbUrl: stores.mongodbUrl, redisUrl: stores.redisUrl };
      const ctx = await openContext(config, log, { migrate: true });
      const running = await startRoles(ctx, roles);
      for (const r of running) log.info({ event: 'role.started', role: r.name, url: r.url }, `${r.name} role ${r.url ? `listening on ${r.url}` : 'started'}`);
      // The password goes to the terminal once, not into the structured log that may be shipped elsewhere.
      const firstStart = await firstStartLines(new UserStore(ctx.db));
      if (firstStart.length) {
        log.warn({ event: 'users.first_admin' }, 'first console user created; its password is printed once on stderr');
        process.stderr.write(`${firstStart.join('\n')}\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      log.info({ event: 'shutdown' }, 'shutting down');
      await Promise.allSettled(running.map((r) => r.close()));
      await ctx.close();
      await stores.stop();
    });
}
