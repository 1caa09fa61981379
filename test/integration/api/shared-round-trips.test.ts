/**
 * API requests that arrive together share the store's round trips for the two things every
 * request does: the lookup of its bearer token and the write of its audit entry. Each request
 * still gets its own answer, and nothing is cached: a token revoked is refused by the next
 * lookup.
 */
import type { CommandStartedEvent } from 'mongodb';
import { AuditLog } from '../../../src/audit/log';
import { TokenRepository } from '../../../src/auth/tokens';
import { connectMongo } from '../../../src/stores/mongo';
import { openTestStores, type TestStores } from '../../support/stores';

let stores: TestStores;
beforeAll(async () => {
  stores = await openTestStores();
});
afterAll(async () => stores?.close());

async function watched<T>(commandName: string, f: (db: TestStores['db']) => Promise<T>): Promise<{ result: T; commands: CommandStartedEvent[] }> {
  const { client, db } = await connectMongo(stores.mongodbUrl, { monitorCommands: true });
  const commands: CommandStartedEvent[] = [];
  client.on('commandStarted', (e) => e.commandName === commandName && commands.push(e));
  try {
    return { result: await f(db), commands };
  } finally {
    await client.close();
  }
}

it('concurrent token lookups share one find, each caller getting its own verdict, and a revocation counts at once', async () => {
  const issuer = new TokenRepository(stores.db);
  const good = await issuer.create({ name: 'ops', role: 'operator', createdBy: 'test' });
  const revoked = await issuer.create({ name: 'old', role: 'admin', createdBy: 'test' });
  await issuer.revoke(revoked.doc._id);
  const wrongSecret = `${good.token.slice(0, -3)}AAA`;
  const unknown = `acs_${'0'.repeat(16)}_${'A'.repeat(43)}`;

  const { result, commands } = await watched('find', async (db) => {
    const tokens = new TokenRepository(db);
    const verdicts = await Promise.all([good.token, revoked.token, 'not-a-token', unknown, wrongSecret, good.token].map((t) => tokens.verify(t)));
    await issuer.revoke(good.doc._id);
    return { verdicts, after: await tokens.verify(good.token) };
  });

  const ops = { kind: 'token', tokenId: good.doc._id, name: 'ops', role: 'operator' };
  expect(result.verdicts).toEqual([ops, undefined, undefined, undefined, undefined, ops]);
  expect(result.after).toBeUndefined();
  expect(commands.map((c) => c.command.filter)).toEqual([{ _id: { $in: [good.doc._id, revoked.doc._id, '0'.repeat(16)] } }, { _id: good.doc._id }]);
});

it('concurrent audit entries share one insert, and each is listed', async () => {
  const entry = (i: number) => ({ actor: { kind: 'token' as const, tokenId: 'ab'.repeat(8), name: 'ops', role: 'operator' as const }, action: 'task.create', target: `dev-${i}`, method: 'POST', path: `/devices/dev-${i}/tasks`, status: 201 });
  const { result, commands } = await watched('insert', (db) => {
    const log = new AuditLog(db);
    return Promise.all([0, 1, 2, 3].map((i) => log.record(entry(i))));
  });
  expect(commands).toHaveLength(1);
  expect((commands[0]!.command.documents as Array<{ target: string }>).map((d) => d.target)).toEqual(['dev-0', 'dev-1', 'dev-2', 'dev-3']);
  expect(new Set(result.map((d) => d._id)).size).toBe(4);

  const listed = await new AuditLog(stores.db).list({ action: 'task.create', limit: 20 });
  expect(listed.map((d) => d.target).sort()).toEqual(['dev-0', 'dev-1', 'dev-2', 'dev-3']);
});
