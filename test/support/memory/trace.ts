import type { Config } from '../../../src/config';
import type { SessionTraceDoc, SessionTraceStore } from '../../../src/cwmp/trace';
import { copy } from './documents';

type TraceStorePort = Pick<SessionTraceStore, 'config' | 'slotId' | 'record' | 'get'>;

/** SessionTraceStore in memory: each device's last sessions in their slots, expiring by `expiresAt`. */
export class MemoryTraceStore implements TraceStorePort {
  private readonly docs = new Map<string, SessionTraceDoc>();

  constructor(readonly config: Config['trace']) {}

  slotId(deviceId: string, seq: number): string {
    return `${deviceId}:${seq % this.config.sessionsPerDevice}`;
  }

  record(doc: SessionTraceDoc): void {
    this.docs.set(doc._id, copy(doc));
  }

  async get(deviceId: string, seq: number, now = new Date()): Promise<SessionTraceDoc | null> {
    if (!this.config.sessionsPerDevice) return null;
    const doc = this.docs.get(this.slotId(deviceId, seq));
    return doc && doc.deviceId === deviceId && doc.seq === seq && doc.expiresAt > now ? copy(doc) : null;
  }
}
