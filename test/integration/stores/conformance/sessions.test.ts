import { AuthStore, SessionStore } from '../../../../src/cwmp/session/store';
import { MemoryAuthState } from '../../../support/memory/auth-state';
import { ManualClock } from '../../../support/memory/clock';
import { MemorySessions } from '../../../support/memory/sessions';
import { casePrefix, contract, inMemory, onStores, RedisClock } from './contract';
import { SESSION_TTL_MS, sessionsContract, type SessionsFixture } from './sessions.contract';

contract<SessionsFixture>(
  'session states',
  [
    inMemory(() => {
      const clock = new ManualClock();
      const nonces = new MemoryAuthState(clock.now);
      return { sessions: new MemorySessions(SESSION_TTL_MS, clock.now, nonces), nonces, now: clock.now, advance: async (ms) => clock.advance(ms) };
    }),
    onStores('SessionStore on Redis', (stores) => {
      const prefix = casePrefix(stores);
      const clock = new RedisClock(stores.redis, prefix);
      return { sessions: new SessionStore(stores.redis, prefix, SESSION_TTL_MS, clock.now), nonces: new AuthStore(stores.redis, prefix), now: clock.now, advance: (ms) => clock.advance(ms) };
    }),
  ],
  sessionsContract,
);
