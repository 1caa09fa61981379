import { AuthStore } from '../../../../src/cwmp/session/store';
import { MemoryAuthState } from '../../../support/memory/auth-state';
import { ManualClock } from '../../../support/memory/clock';
import { authStateContract, type AuthStateFixture } from './auth-state.contract';
import { casePrefix, contract, inMemory, onStores, RedisClock } from './contract';

contract<AuthStateFixture>(
  'authentication state',
  [
    inMemory(() => {
      const clock = new ManualClock();
      return { auth: new MemoryAuthState(clock.now), advance: async (ms) => clock.advance(ms) };
    }),
    onStores('AuthStore on Redis', (stores) => {
      const prefix = casePrefix(stores);
      const clock = new RedisClock(stores.redis, prefix);
      return { auth: new AuthStore(stores.redis, prefix), advance: (ms) => clock.advance(ms) };
    }),
  ],
  authStateContract,
);
