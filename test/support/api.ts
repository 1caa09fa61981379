import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { request } from 'undici';
import { ROUTE_MODULES } from '../../src/api/routes';
import type { AnyRoute } from '../../src/api/route';
import { API_SCHEMA_FILES, ref, type JsonSchema } from '../../src/api/schemas';
import type { TestAcs } from './acs';

let declared: readonly AnyRoute[] | undefined;

/** The route declarations of the API this test file runs: what responses must look like. */
export async function declaredRoutes(acs: TestAcs): Promise<readonly AnyRoute[]> {
  if (!declared) {
    const services = await acs.ctx.services.api;
    declared = ROUTE_MODULES.flatMap((m) => m(services));
  }
  return declared;
}

const ajv = new Ajv2020({ schemas: API_SCHEMA_FILES as JsonSchema[], strict: false, allowUnionTypes: true, discriminator: true, allErrors: true });
addFormats(ajv, ['date-time', 'uri']);
const validators = new Map<JsonSchema, ValidateFunction>();
function validator(schema: JsonSchema): ValidateFunction {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = ajv.compile(schema)));
  return v;
}
const PROBLEM = ref('common', 'Problem');

export interface ApiReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON (any shape: each test asserts what it reads), or the text */
  body: any;
}

export interface CallOptions {
  body?: unknown;
  /** overrides the client's token; null sends no Authorization header */
  token?: string | null;
  headers?: Record<string, string>;
  /** raw body text (sent as is, with the given content-type) */
  raw?: string;
}

/**
 * An HTTP client for the API that checks every answer against the route's declared response
 * schema (and problem documents against the Problem schema), so the tests also prove the
 * OpenAPI document tells the truth.
 */
export function apiClient(acs: TestAcs, token?: string) {
  const baseUrl = acs.apiUrl;
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiReply> => {
    const auth = options.token === null ? undefined : (options.token ?? token);
    const headers: Record<string, string> = { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...options.headers };
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await request(`${baseUrl}/api/v1${path}`, { method: method as 'GET', headers, body: payload });
    const type = String(res.headers['content-type'] ?? '');
    // an event stream never ends by itself: only its status and headers are read here
    if (type.startsWith('text/event-stream')) res.body.destroy();
    const text = type.startsWith('text/event-stream') ? '' : await res.body.text();
    const body = text && /json/.test(type) ? JSON.parse(text) : text;
    const reply: ApiReply = { status: res.statusCode, headers: res.headers, body };
    checkShape(await declaredRoutes(acs), method, path, reply, type);
    return reply;
  };
  return {
    call,
    get: (path: string, options?: CallOptions) => call('GET', path, options),
    post: (path: string, body?: unknown, options?: CallOptions) => call('POST', path, { ...options, body }),
    put: (path: string, body?: unknown, options?: CallOptions) => call('PUT', path, { ...options, body }),
    delete: (path: string, options?: CallOptions) => call('DELETE', path, options),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** A device id as it goes into a URL path. */
export const enc = (id: string) => encodeURIComponent(id);

function routeFor(routes: readonly AnyRoute[], method: string, path: string): AnyRoute | undefined {
  const bare = path.split('?')[0];
  return routes.find((r) => r.method === method && new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare));
}

function checkShape(routes: readonly AnyRoute[], method: string, path: string, reply: ApiReply, type: string): void {
  if (reply.status >= 400) {
    if (!type.startsWith('application/problem+json')) throw new Error(`${method} ${path}: ${reply.status} without a problem document (${type})`);
    const v = validator(PROBLEM);
    if (!v(reply.body)) throw new Error(`${method} ${path}: problem document off-schema: ${ajv.errorsText(v.errors)}`);
    return;
  }
  const route = routeFor(routes, method, path);
  if (!route) return;
  const spec = route.responses[reply.status];
  if (!spec) throw new Error(`${method} ${path}: status ${reply.status} is not documented for ${route.operationId}`);
  if (spec.schema) {
    const v = validator(spec.schema);
    if (!v(reply.body)) throw new Error(`${method} ${path}: response off-schema: ${ajv.errorsText(v.errors)}`);
  }
}

/**
 * Polls `read` until `done` holds for its value, every `everyMs`, for at most `timeoutMs`;
 * returns the last value (the caller's expect then shows what it was).
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await read();
  }
  return value;
}
