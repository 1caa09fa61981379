import type { SessionTraceDoc, SessionTraceStore } from '../../../../src/cwmp/trace';
import { phone } from './devices.contract';

/** The trace recorder's store; `flush` writes what is queued (the real one groups its writes). */
export interface TraceFixture {
  store: Pick<SessionTraceStore, 'config' | 'slotId' | 'record' | 'get'>;
  flush(): Promise<void>;
}

/** Sessions per device the fixtures keep. */
export const TRACE_SLOTS = 3;

function trace(store: TraceFixture['store'], deviceId: string, seq: number, fields: Partial<SessionTraceDoc> = {}): SessionTraceDoc {
  const at = new Date('2026-03-01T10:00:00.000Z');
  return {
    _id: store.slotId(deviceId, seq),
    deviceId,
    seq,
    source: '192.0.2.1',
    cwmpVersion: '1.2',
    startedAt: at,
    endedAt: at,
    durationMs: 5,
    outcome: 'completed',
    events: ['2 PERIODIC'],
    rpcs: [{ method: 'Reboot', rpcId: 'r-1', at: 1, outcome: 'done' }],
    cpeRequests: [],
    faults: 0,
    bodies: false,
    expiresAt: new Date(Date.now() + 86_400_000),
    ...fields,
  };
}

export function traceContract(fixture: () => TraceFixture): void {
  it('keeps a recorded session readable by device and number', async () => {
    const { store, flush } = fixture();
    const { id } = phone();
    const doc = trace(store, id, 1, { outcome: 'timed_out', reason: 'silent' });
    store.record(doc);
    await flush();
    expect(await store.get(id, 1)).toEqual(doc);
    expect(await store.get(id, 2)).toBeNull();
    expect(await store.get(phone().id, 1)).toBeNull();
  });

  it('keeps the last sessions only: a later one takes the slot of the one as many sessions before', async () => {
    const { store, flush } = fixture();
    const { id } = phone();
    store.record(trace(store, id, 1));
    store.record(trace(store, id, 2));
    store.record(trace(store, id, 1 + TRACE_SLOTS));
    await flush();
    expect(await store.get(id, 1)).toBeNull();
    expect((await store.get(id, 2))?.seq).toBe(2);
    expect((await store.get(id, 1 + TRACE_SLOTS))?.seq).toBe(1 + TRACE_SLOTS);
  });

  it('treats an expired session as gone', async () => {
    const { store, flush } = fixture();
    const { id } = phone();
    store.record(trace(store, id, 1, { expiresAt: new Date(Date.now() - 1000) }));
    await flush();
    expect(await store.get(id, 1)).toBeNull();
  });
}
