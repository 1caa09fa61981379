import { buildOpenApi } from '../../../src/api/openapi';
import { defineRoute, parameters, type AnyRoute } from '../../../src/api/route';
import { buildRouter } from '../../../src/api/router';
import { ref } from '../../../src/api/schemas';

/** The OpenAPI document is generated from route declarations; its references all resolve. */
const routes: AnyRoute[] = [
  defineRoute<{ id: string }, { limit: number }>({
    method: 'GET',
    path: '/widgets/{id}',
    operationId: 'getWidget',
    summary: 'a widget',
    tag: 'widgets',
    role: 'viewer',
    params: parameters({ id: ref('common', 'DeviceId') }, ['id']),
    query: parameters({ limit: { ...ref('common', 'Limit'), default: 50 }, tags: { type: 'array', items: ref('common', 'Tag') } }),
    responses: { 200: { description: 'it', schema: ref('devices', 'Device') }, 404: { description: 'none' } },
    handle: async () => ({}),
  }),
  defineRoute({
    method: 'POST',
    path: '/widgets',
    operationId: 'createWidget',
    summary: 'make one',
    tag: 'widgets',
    role: 'operator',
    audit: 'widget.create',
    body: { schema: ref('tasks', 'TaskCreate') },
    responses: { 201: { description: 'made', schema: ref('tasks', 'Task') } },
    handle: async () => ({}),
  }),
  defineRoute({
    method: 'PUT',
    path: '/widgets/upload',
    operationId: 'uploadWidget',
    summary: 'stream one',
    tag: 'widgets',
    role: 'admin',
    body: { stream: true, contentTypes: ['application/octet-stream'], description: 'the bytes' },
    responses: { 204: { description: 'stored' } },
    handle: async () => ({}),
  }),
  defineRoute({
    method: 'POST',
    path: '/widgets/open',
    operationId: 'openWidget',
    summary: 'anyone may',
    tag: 'widgets',
    role: 'public',
    responses: { 204: { description: 'done' } },
    handle: async () => ({}),
  }),
];

/** the generated document, read as plain JSON */
const doc = buildOpenApi(routes, { version: "1.0.0" }) as any;

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) (k === '$ref' ? out.push(v as string) : refs(v, out));
  return out;
}

it('documents every route with its parameters, body, role, audit and the standard errors', () => {
  const get = doc.paths['/widgets/{id}'].get;
  expect(get).toMatchObject({ operationId: 'getWidget', 'x-acs-role': 'viewer', 'x-acs-roles-allowed': ['viewer', 'operator', 'admin'] });
  expect(get.parameters).toEqual([
    expect.objectContaining({ name: 'id', in: 'path', required: true, schema: { $ref: '#/components/schemas/DeviceId' } }),
    expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: { $ref: '#/components/schemas/Limit', default: 50 } }),
    expect.objectContaining({ name: 'tags', in: 'query', style: 'form', explode: true }),
  ]);
  expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
  expect(get.responses['404'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
  const post = doc.paths['/widgets'].post;
  expect(post).toMatchObject({ 'x-acs-role': 'operator', 'x-acs-roles-allowed': ['operator', 'admin'], 'x-acs-audit': 'widget.create' });
  expect(post.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/TaskCreate' } } } });
  expect(doc.paths['/widgets/upload'].put.requestBody.content).toHaveProperty('application/octet-stream');
  expect(doc).toMatchObject({ openapi: '3.1.0', security: [{ bearerAuth: [] }, { sessionCookie: [] }], components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } } });
});

it('documents public routes without security, roles or the 401/403 answers', () => {
  const open = doc.paths['/widgets/open'].post;
  expect(open).toMatchObject({ 'x-acs-role': 'public', security: [] });
  expect(open).not.toHaveProperty('x-acs-roles-allowed');
  expect(Object.keys(open.responses).sort()).toEqual(['204', '400']);
});

it('resolves every $ref to a component, and carries no schema ids', () => {
  const all = refs(doc);
  expect(all.length).toBeGreaterThan(20);
  for (const r of all) {
    expect(r).toMatch(/^#\/components\/schemas\/[A-Za-z0-9]+$/);
    expect(doc.components.schemas).toHaveProperty(r.split('/').pop()!);
  }
  expect(JSON.stringify(doc)).not.toMatch(/"\$id"|"\$schema"|cwmp-acs\.local/);
});

it('refuses declarations that could not be served', () => {
  const deps = {} as Parameters<typeof buildRouter>[1];
  expect(() => buildRouter([routes[0], { ...routes[0], path: '/other/{id}' }], deps)).toThrow('operationId getWidget is used twice');
  expect(() => buildRouter([routes[0], { ...routes[0], operationId: 'again', path: '/widgets/{key}', params: parameters({ key: { type: 'string' } }, ['key']) }], deps)).toThrow('two routes for GET /widgets/{}');
  expect(() => buildRouter([{ ...routes[0], path: '/widgets/{name}' }], deps)).toThrow('path parameters {name} but params declares {id}');
});
