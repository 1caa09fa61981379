import type { EventStruct } from '../cwmp/soap/types';

export const EVENT = {
  BOOTSTRAP: '0 BOOTSTRAP',
  BOOT: '1 BOOT',
  PERIODIC: '2 PERIODIC',
  SCHEDULED: '3 SCHEDULED',
  VALUE_CHANGE: '4 VALUE CHANGE',
  CONNECTION_REQUEST: '6 CONNECTION REQUEST',
  TRANSFER_COMPLETE: '7 TRANSFER COMPLETE',
  M_REBOOT: 'M Reboot',
  M_SCHEDULE_INFORM: 'M ScheduleInform',
  M_DOWNLOAD: 'M Download',
  M_UPLOAD: 'M Upload',
  M_SCHEDULE_DOWNLOAD: 'M ScheduleDownload',
} as const;

/**
 * Events acknowledged by InformResponse, waiting to be delivered. Single events (the
 * numbered codes) are held once; M events once per CommandKey. Events sent in an Inform are
 * "in flight" until the Inform is acknowledged or the session fails; an event raised in the
 * meantime is queued anew rather than merged into the in-flight one, so it is not lost when
 * the in-flight one is acknowledged. Transfer events (7, M Download, …) are not held here:
 * they follow from the pending TransferCompletes.
 */
export class EventQueue {
  private items: EventStruct[] = [];
  private inFlight = new Set<EventStruct>();

  add(eventCode: string, commandKey = ''): void {
    if (this.items.some((e) => !this.inFlight.has(e) && sameEvent(e, eventCode, commandKey))) return;
    this.items.push({ eventCode, commandKey });
  }

  get size(): number {
    return this.items.length;
  }

  /** The events for an Inform; they stay queued until ack() or fail(). */
  take(): EventStruct[] {
    const taken = this.items.filter((e) => !this.inFlight.has(e));
    for (const e of taken) this.inFlight.add(e);
    return taken;
  }

  /** The InformResponse arrived: in-flight events are delivered. */
  ack(): void {
    this.items = this.items.filter((e) => !this.inFlight.has(e));
    this.inFlight.clear();
  }

  /** The session failed before the InformResponse: keep the events but 6 CONNECTION REQUEST. */
  fail(): void {
    const kept: EventStruct[] = [];
    for (const e of this.items) {
      if (this.inFlight.has(e) && e.eventCode === EVENT.CONNECTION_REQUEST) continue;
      if (!kept.some((k) => sameEvent(k, e.eventCode, e.commandKey))) kept.push(e);
    }
    this.items = kept;
    this.inFlight.clear();
  }

  clear(): void {
    this.items = [];
    this.inFlight.clear();
  }
}

function sameEvent(e: EventStruct, eventCode: string, commandKey: string): boolean {
  return e.eventCode === eventCode && (!eventCode.startsWith('M ') || e.commandKey === commandKey);
}
