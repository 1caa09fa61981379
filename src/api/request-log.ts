import type Koa from 'koa';
import type { Actor } from '../auth';
import type { Logger } from '../log';

/** What the router tells the request log about the request it served. */
export interface ApiRequestState {
  requestId?: string;
  /** the route's path template, e.g. /devices/{id} */
  route?: string;
  /** a token or a signed-in person */
  actor?: Actor;
}

/**
 * One info line per API request, once its answer (or problem document) is final: method,
 * route template (never the raw path, which holds device ids), status, duration, token and
 * user id, request id.
 */
export function apiRequestLog(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const state = ctx.state as ApiRequestState;
      log.info(
        {
          event: 'api.request',
          requestId: state.requestId,
          method: ctx.method,
          route: state.route ?? null,
          status: ctx.status,
          durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
          tokenId: state.actor?.kind === 'token' ? state.actor.tokenId : null,
          userId: state.actor?.kind === 'user' ? state.actor.name : null,
        },
        'API request',
      );
    }
  };
}
