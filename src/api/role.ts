import type { Services } from '../roles/compose';
import type { AppContext } from '../roles/context';
import { listen, type RunningRole } from '../roles/http';
import { createApiApp } from './app';

/** What the api role works with, from the process's root (roles/compose.ts). */
export interface ApiDeps extends Pick<AppContext, 'config' | 'ready'> {
  services: Pick<Services, 'api'>;
}

/** The operator API role (port ACS_API_PORT, default 7557). */
export async function startApi(ctx: ApiDeps): Promise<RunningRole> {
  const services = await ctx.services.api;
  const { app } = createApiApp(services, ctx.ready);
  try {
    const running = await listen('api', app, { host: ctx.config.bindAddress, port: ctx.config.apiPort });
    return {
      ...running,
      close: async () => {
        const closed = running.close();
        // Open event streams keep the server from closing: end them.
        await services.live.close();
        await closed;
      },
    };
  } catch (err) {
    await services.live.close();
    throw err;
  }
}
