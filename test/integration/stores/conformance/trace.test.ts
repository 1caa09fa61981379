import { SessionTraceStore } from '../../../../src/cwmp/trace';
import { createLogger } from '../../../../src/log';
import { MemoryTraceStore } from '../../../support/memory/trace';
import { contract, inMemory, onStores } from './contract';
import { TRACE_SLOTS, traceContract, type TraceFixture } from './trace.contract';

const CONFIG = { sessionsPerDevice: TRACE_SLOTS, retentionDays: 1, maxBodyChars: 1000, flushMs: 10 };

contract<TraceFixture>(
  'session trace store',
  [
    inMemory(() => ({ store: new MemoryTraceStore(CONFIG), flush: async () => undefined })),
    onStores('SessionTraceStore on FerretDB', ({ db }) => {
      const store = new SessionTraceStore(db, CONFIG, createLogger('silent'));
      return { store, flush: () => store.flush() };
    }),
  ],
  traceContract,
);
