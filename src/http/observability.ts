import type Koa from 'koa';
import { registry } from '../metrics';

/**
 * GET /healthz (the process answers), /readyz (its stores answer) and /metrics (Prometheus),
 * served by every HTTP role before any other middleware.
 */
export function observability(ready: () => Promise<boolean>): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    switch (ctx.path) {
      case '/healthz':
        ctx.body = { status: 'ok' };
        return;
      case '/readyz': {
        const ok = await ready().catch(() => false);
        ctx.status = ok ? 200 : 503;
        ctx.body = { status: ok ? 'ready' : 'not ready' };
        return;
      }
      case '/metrics':
        ctx.type = registry.contentType;
        ctx.body = await registry.metrics();
        return;
      default:
        return next();
    }
  };
}
