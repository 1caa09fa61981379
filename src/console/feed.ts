import type { RedisClient } from '../stores/redis';
import type { SessionObserver } from '../cwmp/session/observer';
import { eventPaths, liveChannel, type LiveEvent } from './events';
import { FleetStats, type FleetUpdate } from './fleet-stats';

/**
 * How long an Inform or event may wait for company. The console's readers are people: a few ms
 * of delay is invisible, and the Informs and events of many sessions then leave in one Redis
 * command instead of one each. A session that ends sooner sends its batch at once (below).
 */
const COALESCE_MS = 25;
/** Informs and events sent in one command at most (a script's arguments are held in Redis' memory at once). */
const MAX_BATCH = 200;

/** What leaves in one script call, and when it has been applied (or failed, which is logged). */
class Batch {
  readonly updates: FleetUpdate[] = [];
  /** events produced after the batch's last Inform */
  loose: string[] = [];
  size = 0;
  /** to be sent as soon as no call is in flight, without waiting for COALESCE_MS */
  due = false;
  /** sessions whose Inform this batch counts */
  readonly sessions: string[] = [];
  /** resolves, never rejects, once the call returned */
  readonly done: Promise<void>;
  settle!: () => void;

  constructor() {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  /** The script's groups: the loose events ride in a last group without an Inform. */
  take(): FleetUpdate[] {
    if (this.loose.length) this.updates.push({ messages: this.loose });
    return this.updates;
  }
}

/**
 * The console's side of a CWMP session. The Informs (the fleet counters, and the session's
 * "started") and the other events (a session ended or recorded, tasks, parameters) of every
 * session of the process go into one queue, sent to Redis as one script call per batch:
 * a batch leaves COALESCE_MS after its first entry, or at once when a session ending waits for
 * its Inform in it, and never while the previous call is in flight, so the calls stay in order
 * (a group commit). Subscribers see the same messages in the order this process produced them.
 *
 * An Inform's session does not wait for Redis: its InformResponse goes out while the count
 * waits for company. Its end does (`sessionEnded`, before the 204), so a device's count is in
 * Redis once its session is over; a session that fails midway still has its Inform counted,
 * and `close` sends what waits. A process that dies loses at most its last batch; failures go
 * to onError and lose the batch's counts and events. Either way the device's next Inform, or
 * the counters' check, repairs the counts. Nothing here rejects.
 * Nothing touches MongoDB.
 */
export class ConsoleFeed implements SessionObserver {
  private readonly channel: string;
  private readonly stats: FleetStats;
  /** batches waiting, oldest first; the last one is being filled */
  private readonly queue: Batch[] = [new Batch()];
  /** the call in flight: the next batch waits for it */
  private inFlight?: Promise<void>;
  private timer?: NodeJS.Timeout;
  /** the batch counting each session's Inform, until it returned */
  private readonly counting = new Map<string, Batch>();
  private closed = false;

  constructor(
    redis: RedisClient,
    prefix: string,
    /** a batch failed: its counts and events are lost (a logger: it must not throw) */
    private readonly onError: (err: unknown) => void,
  ) {
    this.channel = liveChannel(prefix);
    this.stats = new FleetStats(redis, prefix);
  }

  private get current(): Batch {
    return this.queue[this.queue.length - 1]!;
  }

  async informed(e: Parameters<SessionObserver['informed']>[0]): Promise<void> {
    const event: LiveEvent = { type: 'session', deviceId: e.deviceId, state: 'started', sessionId: e.sessionId, at: e.at.toISOString() };
    const batch = this.current;
    // What waits already happened before this Inform: it goes first, in the same group.
    batch.updates.push({
      // the session tells us once MongoDB holds the Inform: a deletion from now on wins over this count
      inform: { deviceId: e.deviceId, at: e.at, productClass: e.productClass, softwareVersion: e.softwareVersion, bootstrap: e.events.includes('0 BOOTSTRAP'), storedAt: Date.now() },
      messages: [...batch.loose, JSON.stringify(event)],
    });
    batch.loose = [];
    batch.sessions.push(e.sessionId);
    this.counting.set(e.sessionId, batch);
    this.added();
  }

  /** Resolves once the session's Inform is counted: the session is over for everyone. */
  async sessionEnded(e: Parameters<SessionObserver['sessionEnded']>[0]): Promise<void> {
    this.publish({ type: 'session', deviceId: e.deviceId, state: 'ended', sessionId: e.sessionId, at: e.at.toISOString() });
    const counted = this.counting.get(e.sessionId);
    if (!counted) return;
    if (!counted.due) {
      counted.due = true;
      this.trySend();
    }
    await counted.done;
  }

  /** The session's trace is stored: `GET /devices/{id}/sessions` now lists it. */
  async sessionRecorded(e: { deviceId: string; sessionId: string; at: Date }): Promise<void> {
    this.publish({ type: 'session', deviceId: e.deviceId, state: 'recorded', sessionId: e.sessionId, at: e.at.toISOString() });
  }

  /** A job's task also moves the job's progress: the jobs pages listen for `job` events. */
  async taskFinished(e: Parameters<SessionObserver['taskFinished']>[0]): Promise<void> {
    const at = e.at.toISOString();
    this.publish({ type: 'task', deviceId: e.deviceId, id: e.taskId, status: e.status, at });
    if (e.jobId) this.publish({ type: 'job', jobId: e.jobId, deviceId: e.deviceId, status: e.status, at });
  }

  async parametersLearned(e: Parameters<SessionObserver['parametersLearned']>[0]): Promise<void> {
    this.publish({ type: 'parameters', deviceId: e.deviceId, paths: eventPaths(e.paths), at: e.at.toISOString() });
  }

  /** Sends what waits and whatever comes later at once; resolves when the sends are done. */
  async close(): Promise<void> {
    this.closed = true;
    this.dueNow();
    while (this.inFlight) await this.inFlight;
  }

  private publish(event: LiveEvent): void {
    this.current.loose.push(JSON.stringify(event));
    this.added();
  }

  private added(): void {
    const batch = this.current;
    batch.size += 1;
    if (this.closed) batch.due = true;
    if (batch.size >= MAX_BATCH) {
      batch.due = true;
      this.queue.push(new Batch());
    }
    if (batch.due) this.trySend();
    else this.timer ??= setTimeout(() => this.dueNow(), COALESCE_MS);
  }

  private dueNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const b of this.queue) b.due = true;
    this.trySend();
  }

  /** Sends the oldest batch if it is due and no call is in flight; the call's end tries again. */
  private trySend(): void {
    const batch = this.queue[0]!;
    if (!batch.due || this.inFlight || batch.size === 0) return;
    this.queue.shift();
    if (!this.queue.length) {
      // the batch being filled leaves: its timer is of no use any more
      clearTimeout(this.timer);
      this.timer = undefined;
      this.queue.push(new Batch());
    }
    this.inFlight = this.stats
      .apply(batch.take(), this.channel)
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        for (const id of batch.sessions) if (this.counting.get(id) === batch) this.counting.delete(id);
        batch.settle();
        this.inFlight = undefined;
        this.trySend();
      });
  }
}
