import Router from '@koa/router';
import type Koa from 'koa';
import { roleAllows, type Actor } from '../auth';
import type { AuditLog } from '../audit';
import type { Logger } from '../log';
import { readJsonBody } from './body';
import { apiMetrics } from './metrics';
import { API_PREFIX } from './openapi';
import type { Authenticator } from './principal';
import { ProblemError, schemaProblem, type FieldLocation } from './problem';
import type { ApiRequestState } from './request-log';
import type { AnyRoute, ApiResponse } from './route';
import { validatorFor, type JsonSchema } from './schemas';

export interface RouterDeps {
  auth: Authenticator;
  audit: AuditLog;
  log: Logger;
  maxBodyBytes: number;
}

const NO_PARAMETERS: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };

/**
 * The middleware serving every declared route under /api/v1, in this order: Bearer token or
 * console session (401), CSRF token of a session (403), role (403), path/query/body validation (400), handler, audit record. Requests
 * matching no route get 404, or 405 when the path exists with other methods.
 */
export function buildRouter(routes: readonly AnyRoute[], deps: RouterDeps): Koa.Middleware {
  checkRoutes(routes);
  const router = new Router({ prefix: API_PREFIX });
  for (const route of routes) router.register(koaPath(route.path), [route.method], serve(route, deps));
  const dispatch = router.routes();
  return async (ctx, next) => {
    if (ctx.path !== API_PREFIX && !ctx.path.startsWith(`${API_PREFIX}/`)) return next();
    await dispatch(ctx as never, async () => undefined);
    if ((ctx as { routeMatched?: boolean }).routeMatched) return;
    const match = router.match(ctx.path, ctx.method);
    if (match.path.some((layer) => layer.methods.length)) {
      const allowed = [...new Set(match.path.flatMap((layer) => layer.methods))].join(', ');
      throw new ProblemError(405, 'method-not-allowed', `${ctx.method} is not allowed on ${ctx.path}; use ${allowed}`, undefined, { Allow: allowed });
    }
    throw new ProblemError(404, 'no-such-operation', `no API operation at ${ctx.path}`);
  };
}

function serve(route: AnyRoute, deps: RouterDeps): Koa.Middleware {
  const validateParams = validatorFor(route.params ?? NO_PARAMETERS, 'text');
  const validateQuery = validatorFor(route.query ?? NO_PARAMETERS, 'text');
  const jsonBody = route.body && !('stream' in route.body) ? route.body : undefined;
  const validateBody = jsonBody ? validatorFor(jsonBody.schema, 'json') : undefined;
  const streamBody = route.body && 'stream' in route.body ? route.body : undefined;

  return async (ctx) => {
    const started = process.hrtime.bigint();
    let actor: Actor | undefined;
    let response: ApiResponse | undefined;
    let status = 500;
    const logged = ctx.state as ApiRequestState;
    logged.route = route.path;
    try {
      if (route.role !== 'public') {
        const principal = await deps.auth.authenticate(ctx);
        ctx.state.principal = principal;
        actor = principal.actor;
        logged.actor = actor;
        if (!roleAllows(actor.role, route.role)) {
          throw new ProblemError(403, 'forbidden', `${route.operationId} needs role ${route.role}; ${actor.kind} ${JSON.stringify(actor.name)} has role ${actor.role}`);
        }
      }
      const params = check(validateParams, { ...(ctx as unknown as { params: Record<string, string> }).params }, 'path');
      const query = check(validateQuery, { ...ctx.query }, 'query');
      let body: unknown;
      if (validateBody && jsonBody) {
        const raw = (await readJsonBody(ctx, deps.maxBodyBytes)) ?? (jsonBody.required === false ? {} : undefined);
        if (raw === undefined) throw new ProblemError(400, 'invalid-request', 'request body is required', [{ in: 'body', field: '', pointer: '', message: 'is required' }]);
        body = check(validateBody, raw, 'body');
      } else if (streamBody) {
        if (!ctx.request.is(...streamBody.contentTypes)) {
          throw new ProblemError(415, 'unsupported-media-type', `request body must be ${streamBody.contentTypes.join(' or ')}`);
        }
      } else if (ctx.request.length) {
        throw new ProblemError(400, 'invalid-request', `${route.operationId} takes no request body`, [{ in: 'body', field: '', pointer: '', message: 'is not allowed' }]);
      }
      response = route.role === 'public' ? await route.handle({ params, query, body, koa: ctx }) : await route.handle({ params, query, body, actor: actor!, koa: ctx });
      status = send(ctx, response);
    } catch (err) {
      status = err instanceof ProblemError ? err.status : 500;
      throw err;
    } finally {
      apiMetrics.requests.inc({ operation: route.operationId, status: String(status) });
      apiMetrics.seconds.observe({ operation: route.operationId }, Number(process.hrtime.bigint() - started) / 1e9);
      // Only callers the API knows are audited; anonymous refusals are counted in metrics.
      if (route.audit && actor) await audit(deps, route, ctx, actor, status, response);
    }
  };
}

/** The data, with its defaults filled in, once it matches; a 400 naming every wrong field otherwise. */
function check(validate: ReturnType<typeof validatorFor>, data: unknown, where: FieldLocation): unknown {
  if (!validate(data)) throw schemaProblem(where, validate.errors ?? []);
  return data;
}

function send(ctx: Koa.Context, response: ApiResponse): number {
  for (const [name, value] of Object.entries(response.headers ?? {})) ctx.set(name, value);
  if (response.body === undefined) {
    // body first: Koa turns an empty body into 204 unless the status set afterwards says otherwise (303)
    ctx.body = null;
    ctx.status = response.status ?? 204;
  } else {
    ctx.status = response.status ?? 200;
    ctx.body = response.body;
  }
  return ctx.status;
}

async function audit(deps: RouterDeps, route: AnyRoute, ctx: Koa.Context, actor: Actor, status: number, response: ApiResponse | undefined): Promise<void> {
  const params = (ctx as unknown as { params?: Record<string, string> }).params ?? {};
  const target = response?.audit?.target ?? Object.values(params)[0];
  try {
    await deps.audit.record({
      actor,
      action: route.audit!,
      ...(target !== undefined ? { target } : {}),
      method: ctx.method,
      path: ctx.path,
      status,
      ...(response?.audit?.details ? { details: response.audit.details } : {}),
    });
  } catch (err) {
    deps.log.error({ event: 'api.audit_failed', err, action: route.audit, actor: actor.name }, 'could not write the audit log');
  }
}

function koaPath(template: string): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

/** Declarations that could only fail at run time fail at start instead. */
function checkRoutes(routes: readonly AnyRoute[]): void {
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const r of routes) {
    if (ids.has(r.operationId)) throw new Error(`operationId ${r.operationId} is used twice`);
    ids.add(r.operationId);
    const key = `${r.method} ${r.path.replace(/\{[^}]+\}/g, '{}')}`;
    if (keys.has(key)) throw new Error(`two routes for ${key}`);
    keys.add(key);
    const inPath = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    const declared = Object.keys(((r.params ?? {}).properties ?? {}) as object).sort();
    if (inPath.join() !== declared.join()) throw new Error(`${r.operationId}: path parameters {${inPath.join(',')}} but params declares {${declared.join(',')}}`);
    if (!r.path.startsWith('/')) throw new Error(`${r.operationId}: path must start with /`);
  }
}
