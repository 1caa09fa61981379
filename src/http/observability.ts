import type Koa from 'koa';

/** What a health probe answers, or undefined when the request is not one. */
export interface ProbeReply {
  status: number;
  body: { status: string };
}

/**
 * GET or HEAD /healthz (the process answers) and /readyz (its stores answer). Metrics are not
 * here: they live on the internal metrics port (roles/metrics.ts), never on a port devices or
 * operators reach.
 */
export async function probeReply(method: string | undefined, path: string, ready: () => Promise<boolean>): Promise<ProbeReply | undefined> {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  switch (path) {
    case '/healthz':
      return { status: 200, body: { status: 'ok' } };
    case '/readyz': {
      const ok = await ready().catch(() => false);
      return { status: ok ? 200 : 503, body: { status: ok ? 'ready' : 'not ready' } };
    }
    default:
      return undefined;
  }
}

/** The probes of probeReply, served by every Koa role before any other middleware. */
export function observability(ready: () => Promise<boolean>): Koa.Middleware {
  return async (ctx, next) => {
    const probe = await probeReply(ctx.method, ctx.path, ready);
    if (!probe) return next();
    ctx.status = probe.status;
    ctx.body = probe.body;
  };
}
