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
      const sessions = new MemorySessions(SESSION_TTL_MS, clock.now, nonces);
      return { sessions, replica: () => sessions.replica(), nonces, now: clock.now, advance: async (ms) => clock.advance(ms) };
    }),
    onStores('SessionStore on Redis', (stores) => {
      const prefix = casePrefix(stores);
      const clock = new RedisClock(stores.redis, prefix);
      const store = () => new SessionStore(stores.redis, prefix, SESSION_TTL_MS, clock.now);
      return { sessions: store(), replica: store, nonces: new AuthStore(stores.redis, prefix), now: clock.now, advance: (ms) => clock.advance(ms) };
    }),
  ],
  sessionsContract,
);
