import { AccountStore } from '../../../src/accounts';
import { openTestStores, type TestStores } from '../../support/stores';

/**
 * The retail binding store on real FerretDB (S18): every change by `_id`, no transactions, so
 * these check what concurrent binds and a bind interrupted half-way leave behind.
 */
let stores: TestStores;
let accounts: AccountStore;
const line = [{ name: 'User_ID_1_', value: '14085551234' }];

beforeAll(async () => {
  stores = await openTestStores();
  accounts = new AccountStore(stores.db);
});
afterAll(async () => {
  await stores?.close();
});

it('of ten phones binding one account at once, exactly one wins; the others are told it is taken', async () => {
  await accounts.put('race-1', line, 'test');
  const macs = Array.from({ length: 10 }, (_, i) => `000e08cc00${String(i).padStart(2, '0')}`);
  const outcomes = await Promise.all(macs.map((mac) => accounts.bind('race-1', { mac })));
  const won = outcomes.filter((o) => 'bound' in o);
  expect(won).toHaveLength(1);
  expect(outcomes.filter((o) => 'refused' in o && o.refused === 'account-bound')).toHaveLength(9);
  const winner = (await accounts.get('race-1'))?.phone?.mac;
  for (const mac of macs) expect((await accounts.boundTo(mac))?._id).toBe(mac === winner ? 'race-1' : undefined);
});

it('one phone binding two accounts at once ends bound to at most one of them, the other account free', async () => {
  for (let round = 0; round < 5; round++) {
    const [a, b] = [`pair-${round}-a`, `pair-${round}-b`];
    await accounts.put(a, line, 'test');
    await accounts.put(b, line, 'test');
    const mac = `000e08cd000${round}`;
    const outcomes = await Promise.all([accounts.bind(a, { mac }), accounts.bind(b, { mac })]);
    const won = outcomes.filter((o) => 'bound' in o).map((o) => ('bound' in o ? o.bound._id : ''));
    // Both may lose in the tightest interleaving (the phone retries); never both win.
    expect(won.length).toBeLessThanOrEqual(1);
    const holders: string[] = [];
    for (const code of [a, b]) if ((await accounts.get(code))?.phone?.mac === mac) holders.push(code);
    expect(holders).toEqual(won);
    expect((await accounts.boundTo(mac))?._id).toBe(won[0]);
  }
});

it('a binding document left by a bind interrupted half-way counts as none and is taken over', async () => {
  await accounts.put('half-a', line, 'test');
  await accounts.put('half-b', line, 'test');
  const mac = '000e08ce0001';
  // The binding was written, the account never claimed.
  await stores.db.collection('cisco_account_bindings').insertOne({ _id: mac as never, account: 'half-a', at: new Date() });
  expect(await accounts.boundTo(mac)).toBeUndefined();
  const outcome = await accounts.bind('half-b', { mac, serial: 'FCHHALF01' });
  expect(outcome).toMatchObject({ bound: { _id: 'half-b', phone: { mac, serial: 'FCHHALF01' } }, created: true });
  expect((await accounts.boundTo(mac))?._id).toBe('half-b');
  expect((await accounts.get('half-a'))?.phone).toBeUndefined();
});

it('replacing the line settings keeps the binding; unbinding frees both sides; an unknown account is named', async () => {
  await accounts.put('keep-1', line, 'test');
  const mac = '000e08cf0001';
  expect(await accounts.bind('keep-1', { mac })).toMatchObject({ created: true });
  const { account, created } = await accounts.put('keep-1', [{ name: 'User_ID_1_', value: '14085550000' }], 'test');
  expect(created).toBe(false);
  expect(account.phone?.mac).toBe(mac);
  expect(await accounts.unbind('keep-1')).toMatchObject({ unbound: { mac } });
  expect(await accounts.unbind('keep-1')).toEqual({ refused: 'not-bound' });
  expect(await accounts.boundTo(mac)).toBeUndefined();
  expect(await accounts.bind('nope', { mac })).toEqual({ refused: 'unknown-account' });
  expect(await accounts.unbind('nope')).toEqual({ refused: 'unknown-account' });
});
