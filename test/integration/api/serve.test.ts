import { createServer, type Server } from 'node:net';
import { TokenRepository } from '../../../src/auth';
import { createFirstAdminToken } from '../../../src/local';
import { runCli } from '../../support/cli';
import { openTestStores, type TestStores } from '../../support/stores';

/** `acs serve` refusing to start: one clear line and a non-zero exit, never a hang. */
let stores: TestStores;
let holder: Server;
let port: number;
const saved = { ...process.env };

beforeAll(async () => {
  stores = await openTestStores();
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
  port = (holder.address() as { port: number }).port;
  Object.assign(process.env, { MONGODB_URL: stores.mongodbUrl, REDIS_URL: stores.redisUrl, ACS_REDIS_PREFIX: stores.redisPrefix, ACS_BIND_ADDRESS: '127.0.0.1', LOG_LEVEL: 'silent' });
});
afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => holder.close(resolve));
  await stores?.close();
});

it('exits with a message naming the port and its variable when a port is taken', async () => {
  Object.assign(process.env, { ACS_CWMP_PORT: '0', ACS_API_PORT: String(port) });
  const run = await runCli('serve', '--roles', 'cwmp,api');
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(`acs: port ${port} is already in use (api role, ACS_API_PORT): stop the process that holds it (another acs serve?) or choose another port with ACS_API_PORT\n`);
});

it('names a bad role or setting in one line, exit 2', async () => {
  const roles = await runCli('serve', '--roles', 'cwmp,ftp');
  expect(roles).toMatchObject({ code: 2, stderr: 'acs: --roles: unknown role "ftp": choose from cwmp, api, fs, worker, syslog, tftp\n' });
  process.env.LOG_FORMAT = 'yaml';
  const format = await runCli('serve', '--roles', 'api');
  expect(format.code).toBe(2);
  expect(format.stderr).toContain('LOG_FORMAT must be equal to one of the allowed values (got "yaml")');
  delete process.env.LOG_FORMAT;
});

it('creates the first admin token on a database without tokens, and only there', async () => {
  const first = await createFirstAdminToken(new TokenRepository(stores.db));
  expect(first?.token).toMatch(/^acs_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  expect(await new TokenRepository(stores.db).verify(first!.token)).toEqual({ kind: 'token', tokenId: first!.id, name: 'first-admin', role: 'admin' });
  expect(await createFirstAdminToken(new TokenRepository(stores.db))).toBeUndefined();
  expect(await new TokenRepository(stores.db).list()).toHaveLength(1);
});
