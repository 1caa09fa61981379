import { randomUUID } from 'node:crypto';
import type Koa from 'koa';

/** What a caller's X-Request-Id may be: short, and nothing a log line or a header could trip on. */
const ACCEPTED = /^[A-Za-z0-9._:+=@/-]{1,128}$/;

/** The request's id: the caller's X-Request-Id when it is acceptable, a new UUID otherwise. */
export function requestIdOf(header: string): string {
  return ACCEPTED.test(header) ? header : randomUUID();
}

/**
 * Gives every request an id (`ctx.state.requestId`), echoed in the X-Request-Id response
 * header, so that a caller can find its request in the ACS's logs.
 */
export function requestId(): Koa.Middleware {
  return async (ctx, next) => {
    const id = requestIdOf(ctx.get('X-Request-Id'));
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
