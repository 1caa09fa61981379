import { API_ROLES, roleAllows } from '../../../src/auth';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, declaredRoutes, type ApiClient } from '../../support/api';
import { signedIn, type ConsoleBrowser } from '../../support/console';

/**
 * Every operation of the OpenAPI document, called for real: it exists, and it refuses a
 * missing, malformed, unknown, tampered or revoked token and every role weaker than its own;
 * the same holds for console sessions, which must also send their CSRF token for changes.
 */
let acs: TestAcs;
let api: ApiClient;
let tokens: Record<string, string>;
let revoked: string;
let sessions: Record<string, ConsoleBrowser>;
let doc: { paths: Record<string, Record<string, { operationId: string; 'x-acs-role': string }>> };

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['api'] });
  api = apiClient(acs);
  tokens = Object.fromEntries(await Promise.all(API_ROLES.map(async (r) => [r, await acs.token(r)] as const)));
  sessions = Object.fromEntries(await Promise.all(API_ROLES.map(async (r) => [r, await signedIn(acs, r, `session-${r}`)] as const)));
  revoked = await acs.token('admin', 'to-revoke');
  const id = revoked.slice(4, 20);
  expect((await api.delete(`/tokens/${id}`, { token: tokens.admin })).status).toBe(204);
  doc = (await api.get('/openapi.json', { token: null })).body;
});
afterAll(async () => acs?.close());

const allOperations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
/** Operations that need a caller (all but signing in). */
const operations = () => allOperations().filter((o) => o.op['x-acs-role'] !== 'public');
const SAFE = ['GET', 'HEAD', 'OPTIONS'];
/** Path parameters filled with a placeholder: authentication comes before validation. */
const url = (path: string) => path.replace(/\{[^}]+\}/g, 'x');

it('serves an OpenAPI 3.1 document listing exactly the declared routes', async () => {
  expect(doc).toMatchObject({ openapi: '3.1.0' });
  const documented = allOperations().map((o) => `${o.method} ${o.path}`).sort();
  expect(documented).toEqual((await declaredRoutes(acs)).map((r) => `${r.method} ${r.path}`).sort());
  expect(documented.length).toBeGreaterThanOrEqual(20);
});

it('every documented operation exists and passes authentication with a strong enough token', async () => {
  for (const { method, path, op } of operations()) {
    const r = await api.call(method, url(path), { token: tokens[op['x-acs-role']] });
    const refused = [401, 403, 405].includes(r.status) || r.body?.type === 'urn:cwmp-acs:problem:no-such-operation';
    expect({ op: op.operationId, refused }).toEqual({ op: op.operationId, refused: false });
  }
});

it('every operation refuses missing, malformed, unknown, tampered and revoked tokens with 401', async () => {
  const good = tokens.admin;
  const bad: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['not bearer', { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }],
    ['malformed', { authorization: 'Bearer not-a-token' }],
    ['unknown id', { authorization: `Bearer acs_0000000000000000_${good.slice(21)}` }],
    ['tampered secret', { authorization: `Bearer ${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}` }],
    ['revoked', { authorization: `Bearer ${revoked}` }],
  ];
  for (const { method, path, op } of operations()) {
    for (const [why, headers] of bad) {
      const r = await api.call(method, url(path), { token: null, headers });
      expect({ op: op.operationId, why, status: r.status }).toEqual({ op: op.operationId, why, status: 401 });
      expect(r.headers['www-authenticate']).toMatch(/^Bearer realm="acs"/);
    }
  }
});

it('every operation refuses roles weaker than its own with 403 naming the role needed', async () => {
  let checked = 0;
  for (const { method, path, op } of operations()) {
    const need = op['x-acs-role'] as (typeof API_ROLES)[number];
    for (const role of API_ROLES.filter((r) => !roleAllows(r, need))) {
      const r = await api.call(method, url(path), { token: tokens[role] });
      expect({ op: op.operationId, role, status: r.status }).toEqual({ op: op.operationId, role, status: 403 });
      expect(r.body.detail).toContain(`needs role ${need}`);
      checked += 1;
    }
  }
  expect(checked).toBeGreaterThan(10);
});

it('the same permission check holds for console sessions, and their changes need the CSRF token', async () => {
  let checked = 0;
  for (const { method, path, op } of operations()) {
    const need = op['x-acs-role'] as (typeof API_ROLES)[number];
    // signing out ends the session: use one of its own
    const caller = op.operationId === 'signOut' ? await signedIn(acs, need, 'signing-out') : sessions[need];
    const strong = await caller.call(method, url(path));
    const refused = [401, 403, 405].includes(strong.status) || strong.body?.type === 'urn:cwmp-acs:problem:no-such-operation';
    expect({ op: op.operationId, refused }).toEqual({ op: op.operationId, refused: false });
    for (const role of API_ROLES.filter((r) => !roleAllows(r, need))) {
      const r = await sessions[role].call(method, url(path));
      expect({ op: op.operationId, role, status: r.status }).toEqual({ op: op.operationId, role, status: 403 });
      expect(r.body.detail).toContain(`needs role ${need}; user "session-${role}"`);
      checked += 1;
    }
    if (!SAFE.includes(method) && op.operationId !== 'signOut') {
      const r = await sessions.admin.call(method, url(path), { csrf: false });
      expect({ op: op.operationId, status: r.status, type: r.body.type }).toEqual({ op: op.operationId, status: 403, type: 'urn:cwmp-acs:problem:csrf' });
    }
  }
  expect(checked).toBeGreaterThan(10);
});

it('public operations are only the sign-in ones, documented without security', () => {
  const open = allOperations().filter((o) => o.op['x-acs-role'] === 'public');
  expect(open.map((o) => o.op.operationId).sort()).toEqual(['finishOidcSignIn', 'getSession', 'signIn', 'startOidcSignIn']);
  for (const o of open) expect((o.op as unknown as { security: unknown[] }).security).toEqual([]);
});

it('tokens: created through the API shown once, listed without secrets, revoked at once', async () => {
  const created = await api.post('/tokens', { name: 'ci-bot', role: 'operator' }, { token: tokens.admin });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: 'ci-bot', role: 'operator', createdBy: 'test-admin' });
  const bot = created.body.token as string;
  expect((await api.get('/devices', { token: bot })).status).toBe(200);
  const list = await api.get('/tokens', { token: tokens.admin });
  expect(JSON.stringify(list.body)).not.toContain(bot.slice(21));
  expect(JSON.stringify(list.body)).not.toMatch(/hash/);
  expect(list.body.items.find((t: { id: string }) => t.id === created.body.id)).toMatchObject({ name: 'ci-bot' });
  expect((await api.delete(`/tokens/${created.body.id}`, { token: tokens.admin })).status).toBe(204);
  expect((await api.get('/devices', { token: bot })).status).toBe(401);
  expect((await api.delete(`/tokens/${created.body.id}`, { token: tokens.admin })).status).toBe(404);
});

it('records operator actions in the audit log, refusals included, readable by admins only', async () => {
  await api.post('/tokens', { name: 'audited', role: 'viewer' }, { token: tokens.admin });
  await api.delete('/devices/000000-X-DOESNOTEXIST', { token: tokens.operator });
  const page = await api.get('/audit?limit=10', { token: tokens.admin });
  expect(page.status).toBe(200);
  const [refused, created] = page.body.items;
  expect(refused).toMatchObject({ action: 'device.delete', status: 403, target: '000000-X-DOESNOTEXIST', actor: { name: 'test-operator', role: 'operator' }, method: 'DELETE' });
  expect(created).toMatchObject({ action: 'token.create', status: 201, actor: { name: 'test-admin' }, details: { name: 'audited', role: 'viewer' } });
  expect(JSON.stringify(page.body)).not.toMatch(/acs_[0-9a-f]{16}_/);
  const byAction = await api.get('/audit?action=token.create', { token: tokens.admin });
  expect(byAction.body.items.every((e: { action: string }) => e.action === 'token.create')).toBe(true);
  expect((await api.get('/audit', { token: tokens.operator })).status).toBe(403);
});

it('answers unknown paths and methods with problem documents', async () => {
  const missing = await api.get('/nothing-here', { token: tokens.admin });
  expect(missing.status).toBe(404);
  expect(missing.body).toMatchObject({ type: 'urn:cwmp-acs:problem:no-such-operation', status: 404 });
  const wrongMethod = await api.call('PATCH', '/devices', { token: tokens.admin });
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.allow).toMatch(/\bGET\b/);
  expect((await api.get('/openapi.json', { token: null })).status).toBe(200);
  const health = await fetch(`${acs.apiUrl}/healthz`);
  expect(health.status).toBe(200);
});
