import { UserStore, ensureFirstAdmin, firstStartLines, verifyPassword } from '../../../src/users';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { apiClient, type ApiClient } from '../../support/api';
import { runCli } from '../../support/cli';
import { ConsoleBrowser, TEST_PASSWORD } from '../../support/console';

/** Console users: the admin API, `acs user`, and the first admin of a fresh installation. */
let acs: TestAcs;
let admin: ApiClient;
const saved = { ...process.env };

beforeAll(async () => {
  acs = await startTestAcs({}, { roles: ['api'] });
  admin = apiClient(acs, await acs.token('admin'));
  Object.assign(process.env, { MONGODB_URL: acs.stores.mongodbUrl, REDIS_URL: acs.stores.redisUrl });
});
afterAll(async () => {
  process.env = saved;
  await acs?.close();
});

const signIn = (name: string, password: string) => new ConsoleBrowser(acs).signIn(name, password);

it('the first start creates admin once, with a password that signs in', async () => {
  const users = new UserStore(acs.stores.db);
  const lines = await firstStartLines(users);
  expect(lines.join('\n')).toMatch(/FIRST START.*\n.*user: admin {3}password: [A-Za-z0-9_-]{24}/);
  const password = /password: (\S+)/.exec(lines.join('\n'))![1];
  expect(await firstStartLines(users)).toEqual([]);
  expect(await ensureFirstAdmin(users)).toBeUndefined();
  const doc = (await users.get('admin'))!;
  expect(doc).toMatchObject({ role: 'admin', disabled: false, createdBy: 'first-start' });
  expect(doc.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
  expect(doc.passwordHash).not.toContain(password);
  expect(await verifyPassword(password, doc.passwordHash)).toBe(true);
  expect((await signIn('admin', password)).body.user).toEqual({ name: 'admin', role: 'admin' });
});

it('creates, lists, changes and resets users through the API, never showing a hash', async () => {
  const created = await admin.post('/users', { name: 'mallory', role: 'viewer' });
  expect(created.status).toBe(201);
  expect(created.headers.location).toBe('/api/v1/users/mallory');
  expect(created.body).toMatchObject({ user: { name: 'mallory', role: 'viewer', disabled: false, createdBy: 'test-admin' }, password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
  expect((await signIn('mallory', created.body.password)).status).toBe(200);
  const given = await admin.post('/users', { name: 'nina', role: 'operator', password: TEST_PASSWORD });
  expect(given.body).not.toHaveProperty('password');
  expect((await admin.post('/users', { name: 'nina', role: 'viewer' })).status).toBe(409);
  expect((await admin.post('/users', { name: 'bad name', role: 'viewer' })).status).toBe(400);
  expect((await admin.post('/users', { name: 'short', role: 'viewer', password: 'short' })).body.errors[0]).toMatchObject({ field: 'password' });
  const list = await admin.get('/users');
  expect(list.body.items.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['mallory', 'nina']));
  expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash/);
  expect((await admin.call('PATCH', '/users/nina', { body: { role: 'admin' } })).body).toMatchObject({ name: 'nina', role: 'admin' });
  expect((await admin.call('PATCH', '/users/nobody', { body: { role: 'admin' } })).status).toBe(404);
  expect((await admin.call('PATCH', '/users/nina', { body: {} })).status).toBe(400);
  expect((await admin.post('/users/nina/password', { password: 'another long password' })).status).toBe(204);
  expect((await signIn('nina', TEST_PASSWORD)).status).toBe(401);
  expect((await signIn('nina', 'another long password')).status).toBe(200);
  expect((await admin.post('/users/nobody/password')).status).toBe(404);
  const audit = await admin.get('/audit?action=user.password');
  expect(audit.body.items.map((a: { target: string; status: number }) => [a.target, a.status])).toEqual([['nobody', 404], ['nina', 204]]);
  expect(JSON.stringify(audit.body)).not.toContain('another long password');
});

it('refuses to demote or disable the last enabled admin', async () => {
  const users = new UserStore(acs.stores.db);
  for (const u of await users.list()) if (u.role === 'admin' && u._id !== 'admin') await users.update(u._id, { role: 'operator' });
  const r = await admin.call('PATCH', '/users/admin', { body: { disabled: true } });
  expect(r.status).toBe(409);
  expect(r.body.detail).toMatch(/last enabled admin/);
  expect((await admin.call('PATCH', '/users/admin', { body: { role: 'viewer' } })).status).toBe(409);
  await admin.post('/users', { name: 'second-admin', role: 'admin' });
  expect((await admin.call('PATCH', '/users/admin', { body: { disabled: true } })).status).toBe(200);
});

it('acs user create|list|disable|enable|reset-password', async () => {
  const created = await runCli('user', 'create', '--name', 'olga', '--role', 'operator');
  expect(created.code).toBe(0);
  expect(created.stderr).toMatch(/user olga \(operator\) created; the password is shown only now/);
  const password = created.stdout.trim();
  expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect((await signIn('olga', password)).status).toBe(200);
  const listed = await runCli('user', 'list');
  expect(listed.stdout).toMatch(/olga.*operator/);
  expect(listed.stdout).not.toContain(password);
  expect((await runCli('user', 'create', '--name', 'olga', '--role', 'viewer')).stderr).toMatch(/user "olga" exists already/);
  expect((await runCli('user', 'create', '--name', 'x y', '--role', 'viewer')).code).toBe(2);
  const badRole = await runCli('user', 'create', '--name', 'pat', '--role', 'root');
  expect(badRole.stderr).toContain('--role must be one of viewer, operator, admin, got "root"');
  expect((await runCli('user', 'disable', 'olga')).stdout).toBe('user olga disabled\n');
  expect((await signIn('olga', password)).status).toBe(401);
  expect(JSON.parse((await runCli('user', 'list', '--json')).stdout).find((u: { name: string }) => u.name === 'olga')).toMatchObject({ disabled: true });
  expect((await runCli('user', 'enable', 'olga')).code).toBe(0);
  const reset = await runCli('user', 'reset-password', 'olga');
  expect(reset.code).toBe(0);
  expect((await signIn('olga', password)).status).toBe(401);
  expect((await signIn('olga', reset.stdout.trim())).status).toBe(200);
  const missing = await runCli('user', 'disable', 'nobody');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/no user "nobody"/);
});
