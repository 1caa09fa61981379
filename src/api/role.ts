import { AuditLog } from '../audit';
import { LoginLockout, SessionStore, TokenRepository } from '../auth';
import { OidcLogin } from '../auth/oidc/login';
import { liveTaskEnded } from '../console/events';
import { FleetStats } from '../console/fleet-stats';
import { LiveHub } from '../console/live-hub';
import { DeviceRepository } from '../devices/repository';
import { SearchIndex } from '../devices/search-index';
import { TaskDispatcher } from '../jobs/dispatcher';
import { JobCounter } from '../jobs/progress';
import { JobQueues } from '../jobs/queues';
import { JobRepository } from '../jobs/repository';
import type { Logger } from '../log';
import type { AppContext } from '../roles/context';
import { listen, type RunningRole } from '../roles/http';
import { TaskRepository } from '../tasks/repository';
import { UserStore } from '../users';
import { createApiApp } from './app';
import { Authenticator } from './principal';
import type { ApiServices } from './services';

/** The services route modules get; `services.queues` must be closed by the caller. */
export function apiServices(ctx: AppContext, log: Logger): ApiServices {
  const devices = new DeviceRepository(ctx.db);
  const tasks = new TaskRepository(ctx.db);
  const queues = new JobQueues(ctx.config, log);
  const tokens = new TokenRepository(ctx.db);
  const users = new UserStore(ctx.db);
  const { console: c, redisPrefix } = ctx.config;
  const sessions = new SessionStore(ctx.redis, redisPrefix, { idleSeconds: c.sessionIdleSeconds, maxSeconds: c.sessionMaxSeconds });
  return {
    config: ctx.config,
    log,
    db: ctx.db,
    redis: ctx.redis,
    devices,
    tasks,
    jobs: new JobRepository(ctx.db),
    tokens,
    users,
    sessions,
    lockout: new LoginLockout(ctx.redis, redisPrefix, { perName: c.loginFailLimit, perAddress: c.loginFailIpLimit, windowSeconds: c.loginFailWindowSeconds }),
    fleet: new FleetStats(ctx.redis, redisPrefix),
    search: new SearchIndex(ctx.db),
    live: new LiveHub(ctx.redis, redisPrefix, log),
    auth: new Authenticator({ tokens, users, sessions, secret: ctx.secret }),
    audit: new AuditLog(ctx.db),
    queues,
    dispatcher: new TaskDispatcher({ tasks, devices, queues, log, taskEnded: liveTaskEnded(ctx.redis, redisPrefix, log) }),
    jobCounter: new JobCounter(tasks),
    oidc: c.oidc ? new OidcLogin(c.oidc, ctx.redis, redisPrefix) : undefined,
  };
}

/** The operator API role (port ACS_API_PORT, default 7557). */
export async function startApi(ctx: AppContext): Promise<RunningRole> {
  const services = apiServices(ctx, ctx.log.child({ role: 'api' }));
  const { app } = createApiApp(services, ctx.ready);
  try {
    const running = await listen('api', app, { host: ctx.config.bindAddress, port: ctx.config.apiPort });
    return {
      ...running,
      close: async () => {
        const closed = running.close();
        await services.live.close();
        await closed;
        await services.queues.close();
      },
    };
  } catch (err) {
    await services.live.close();
    await services.queues.close();
    throw err;
  }
}
