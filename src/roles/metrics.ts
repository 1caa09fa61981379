import Koa from 'koa';
import { registry } from '../metrics';
import type { AppContext } from './context';
import { listen, type RunningRole } from './http';

/**
 * The process's Prometheus endpoint on ACS_METRICS_PORT: one listener per process, whatever
 * roles it runs, and nothing else on it. Internal only (the chart keeps it off every
 * LoadBalancer and lets only the monitoring namespace in).
 */
export async function startMetrics(ctx: Pick<AppContext, 'config'>): Promise<RunningRole> {
  const app = new Koa();
  app.use(async (koa) => {
    if (koa.path !== '/metrics') return;
    if (koa.method !== 'GET' && koa.method !== 'HEAD') {
      koa.status = 405;
      koa.set('Allow', 'GET');
      return;
    }
    koa.type = registry.contentType;
    koa.body = await registry.metrics();
  });
  return listen('metrics', app, { host: ctx.config.bindAddress, port: ctx.config.metricsPort });
}
