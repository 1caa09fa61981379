import type Koa from 'koa';
import type { Actor, ApiRole } from '../auth';
import type { JsonSchema } from './schemas';
import type { ApiServices } from './services';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ResponseSpec {
  description: string;
  /** omitted for responses without a body (204) */
  schema?: JsonSchema;
  /** default application/json */
  contentType?: string;
}

/** A JSON request body, validated against `schema` (defaults filled in) before the handler runs. */
export interface JsonBodySpec {
  schema: JsonSchema;
  /** false: an empty body reads as `{}` */
  required?: boolean;
}

/**
 * A body the handler reads itself from `req.koa.req` (file uploads): nothing is parsed or
 * buffered, only the Content-Type is checked.
 */
export interface StreamBodySpec {
  stream: true;
  contentTypes: string[];
  description: string;
}

export interface ApiRequest<P, Q, B> {
  /** path parameters, decoded and validated */
  params: P;
  /** query parameters, validated and coerced (numbers, booleans, arrays) */
  query: Q;
  /** the validated JSON body; undefined for routes without a body or with a streamed one */
  body: B;
  actor: Actor;
  /** the Koa context, for streamed bodies and responses */
  koa: Koa.Context;
}

/** What a public route's handler gets: no caller was authenticated. */
export type PublicRequest<P, Q, B> = Omit<ApiRequest<P, Q, B>, 'actor'>;

export interface ApiResponse {
  /** default 200, or 204 when there is no body */
  status?: number;
  /** JSON-serialisable value, a Buffer, or a stream (set `headers['content-type']`) */
  body?: unknown;
  headers?: Record<string, string>;
  /** what the audit record names as target (default: the first path parameter) and adds as details */
  audit?: { target?: string; details?: Record<string, unknown> };
}

interface RouteBase {
  method: HttpMethod;
  /** OpenAPI path template below /api/v1, e.g. `/devices/{id}/tasks` */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** OpenAPI tag (groups operations in the document) */
  tag: string;
  /** action name written to the audit log (e.g. `device.delete`); omit for reads */
  audit?: string;
  /** object schema whose properties are the path parameters */
  params?: JsonSchema;
  /** object schema whose properties are the query parameters */
  query?: JsonSchema;
  body?: JsonBodySpec | StreamBodySpec;
  /** success responses and route-specific errors; 400/401/403 are added for every route */
  responses: Record<number, ResponseSpec>;
}

/**
 * One API operation. Everything the router, the validation, the audit log and the OpenAPI
 * document need is declared here; `handle` only sees requests that passed authentication,
 * the role check and validation.
 */
export interface ProtectedRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> extends RouteBase {
  /** weakest role allowed */
  role: ApiRole;
  handle(req: ApiRequest<P, Q, B>): Promise<ApiResponse>;
}

/**
 * An operation anyone may call (signing in): nothing is authenticated before `handle`, which
 * does its own checks and writes its own audit records (the caller is not known beforehand).
 */
export interface PublicRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> extends RouteBase {
  role: 'public';
  handle(req: PublicRequest<P, Q, B>): Promise<ApiResponse>;
}

export type Route<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> = ProtectedRoute<P, Q, B> | PublicRoute<P, Q, B>;

/** A route with its parameter types erased, as the router holds them. */
export type AnyRoute = Route<unknown, unknown, unknown>;

/** A module of routes for one concern; it gets the shared services once, at start. */
export type RouteModule = (services: ApiServices) => AnyRoute[];

/** Keeps a route's parameter types for its handler while listing it among others. */
export function defineRoute<P, Q = Record<string, never>, B = undefined>(route: Route<P, Q, B>): AnyRoute {
  return route as unknown as AnyRoute;
}

/** Object schema of path or query parameters; `required` lists the mandatory ones. */
export function parameters(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) };
}
