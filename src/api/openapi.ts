import { roleAllows, API_ROLES } from '../auth';
import type { AnyRoute } from './route';
import { API_SCHEMA_FILES, ref, type JsonSchema } from './schemas';

export const API_PREFIX = '/api/v1';

const PROBLEM_REF = ref('common', 'Problem');
const STANDARD_ERRORS: Record<number, string> = {
  400: 'The request does not match the schema; `errors` names every wrong field.',
  401: 'No token or console session, or one that is malformed, unknown, revoked or expired.',
  403: 'The caller\'s role is too weak for this operation, or a signed-in request that changes something lacks the session\'s CSRF token.',
};
const PUBLIC_ERRORS = [400];

/**
 * The OpenAPI 3.1 document of the API, generated from the route declarations and the schema
 * files, so it cannot drift from what the router validates.
 */
export function buildOpenApi(routes: readonly AnyRoute[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cwmp-acs operator API',
      version: info.version,
      description:
        'Operator API of the ACS. Every operation needs `Authorization: Bearer <token>` (tokens come from `acs token create`) ' +
        'or the console\'s session cookie `acs_session` (from `POST /session`); a signed-in request that is not GET, HEAD or OPTIONS ' +
        'must also send the session\'s CSRF token (from `GET /session`) in `X-CSRF-Token`. Operations with `x-acs-role: public` need neither. ' +
        `Roles, weakest first: ${API_ROLES.join(', ')}; each operation names the weakest role it accepts in \`x-acs-role\`. ` +
        'Errors are RFC 9457 problem documents. Lists are paged with `limit` and the `nextCursor` of the previous page.',
    },
    servers: [{ url: API_PREFIX }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'a token from `acs token create`' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'acs_session', description: 'a console session from `POST /session`; changes also need `X-CSRF-Token`' },
      },
      schemas: componentSchemas(),
    },
  };
}

function operation(route: AnyRoute): Record<string, unknown> {
  const parameters = [...parameterList(route.params, 'path'), ...parameterList(route.query, 'query')];
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const isError = Number(status) >= 400;
    responses[status] = {
      description: spec.description,
      ...(spec.schema || isError ? { content: { [spec.contentType ?? (isError ? 'application/problem+json' : 'application/json')]: { schema: rewrite(spec.schema ?? PROBLEM_REF) } } } : {}),
    };
  }
  const isPublic = route.role === 'public';
  for (const [status, description] of Object.entries(STANDARD_ERRORS)) {
    if (isPublic && !PUBLIC_ERRORS.includes(Number(status))) continue;
    responses[status] ??= { description, content: { 'application/problem+json': { schema: rewrite(PROBLEM_REF) } } };
  }
  const role = route.role;
  const op: Record<string, unknown> = {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    'x-acs-role': role,
    ...(role === 'public' ? { security: [] } : { 'x-acs-roles-allowed': API_ROLES.filter((r) => roleAllows(r, role)) }),
    ...(route.audit ? { 'x-acs-audit': route.audit } : {}),
    ...(parameters.length ? { parameters } : {}),
    responses,
  };
  if (route.body && 'stream' in route.body) {
    op.requestBody = { required: true, description: route.body.description, content: Object.fromEntries(route.body.contentTypes.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }])) };
  } else if (route.body) {
    op.requestBody = { required: route.body.required ?? true, content: { 'application/json': { schema: rewrite(route.body.schema) } } };
  }
  return op;
}

function parameterList(schema: JsonSchema | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: rewrite(s),
    ...(s.type === 'array' ? { style: 'form', explode: true } : {}),
  }));
}

/** Every definition of every schema file, under its own name. */
function componentSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const file of API_SCHEMA_FILES) {
    for (const [name, def] of Object.entries((file.$defs ?? {}) as Record<string, JsonSchema>)) {
      if (name in out) throw new Error(`schema definition ${name} is defined twice (in ${String(file.$id)})`);
      out[name] = rewrite(def);
    }
  }
  return out;
}

/** Points every `$ref` at `#/components/schemas/<name>`. */
function rewrite(schema: unknown): JsonSchema {
  return walk(schema) as JsonSchema;
}

function walk(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(walk);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const m = /#\/\$defs\/([^/]+)$/.exec(value);
      if (!m) throw new Error(`cannot place $ref ${value} in the OpenAPI document`);
      out.$ref = `#/components/schemas/${m[1]}`;
    } else if (key !== '$id' && key !== '$schema') {
      out[key] = walk(value);
    }
  }
  return out;
}
