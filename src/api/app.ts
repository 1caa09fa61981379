import Koa from 'koa';
import { observability } from '../http/observability';
import { requestId } from '../http/request-id';
import { consoleDir, consoleStatic } from './console-static';
import { buildOpenApi, API_PREFIX } from './openapi';
import { ProblemError } from './problem';
import { apiRequestLog } from './request-log';
import type { AnyRoute, RouteModule } from './route';
import { buildRouter } from './router';
import { ROUTE_MODULES } from './routes';
import type { ApiServices } from './services';

export interface ApiApp {
  app: Koa;
  routes: readonly AnyRoute[];
  openapi: Record<string, unknown>;
}

/**
 * The operator API: health and readiness, the OpenAPI document (public, like health), the
 * console's files at `/`, then every route of every module. Any error becomes an RFC 9457 problem document; nothing a
 * client sends can take the process down.
 */
export function createApiApp(services: ApiServices, ready: () => Promise<boolean>, modules: readonly RouteModule[] = ROUTE_MODULES): ApiApp {
  const routes = modules.flatMap((m) => m(services));
  const openapi = buildOpenApi(routes, { version: '1.0.0' });
  const openapiText = JSON.stringify(openapi);
  const app = new Koa();
  app.use(requestId());
  // A client that goes away mid-stream (an event stream closed, a download cancelled) is no error.
  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
    services.log.error({ event: 'api.response_failed', err }, 'API response failed');
  });
  app.use(observability(ready));
  app.use(apiRequestLog(services.log));
  app.use(async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ProblemError(404, 'not-found', `nothing at ${ctx.path}`);
    } catch (err) {
      const problem = toProblemError(err);
      if (problem.status >= 500) services.log.error({ event: 'api.internal_error', err, requestId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'API request failed');
      ctx.status = problem.status;
      for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
      ctx.type = 'application/problem+json';
      ctx.body = JSON.stringify(problem.toProblem(ctx.path));
    }
  });
  app.use(async (ctx, next) => {
    if (ctx.path !== `${API_PREFIX}/openapi.json`) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw new ProblemError(405, 'method-not-allowed', 'the OpenAPI document is read with GET', undefined, { Allow: 'GET' });
    ctx.type = 'application/json';
    ctx.body = openapiText;
  });
  app.use(consoleStatic(consoleDir(services.config.console.dir)));
  app.use(buildRouter(routes, { auth: services.auth, audit: services.audit, log: services.log, maxBodyBytes: services.config.api.maxBodyBytes }));
  return { app, routes, openapi };
}

function toProblemError(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  const status = (err as { status?: number; expose?: boolean }).status;
  // Koa's own client errors (a malformed URL, a bad header) say what was wrong.
  if (status && status >= 400 && status < 500 && (err as { expose?: boolean }).expose) return new ProblemError(status, 'invalid-request', (err as Error).message);
  return new ProblemError(500, 'internal', 'internal error; the server log has the details');
}
