import type Koa from 'koa';

/**
 * GET /healthz (the process answers) and /readyz (its stores answer), served by every HTTP
 * role before any other middleware. Metrics are not here: they live on the internal metrics
 * port (roles/metrics.ts), never on a port devices or operators reach.
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
      default:
        return next();
    }
  };
}
