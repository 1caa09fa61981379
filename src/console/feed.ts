import type { RedisClient } from '../stores/redis';
import { declareRedisScripts, withRedisScripts } from '../stores/redis-scripts';
import type { SessionObserver } from '../cwmp/session/observer';
import { eventPaths, liveChannel, type LiveEvent } from './events';
import { FleetStats } from './fleet-stats';

/**
 * How long an event may wait for company. The console's readers are people: a few ms of delay
 * is invisible, and the events of many sessions then leave in one Redis command instead of one
 * PUBLISH each.
 */
const COALESCE_MS = 25;
/** Events sent in one command at most (a script's arguments are held in Redis' memory at once). */
const MAX_BATCH = 200;

/** KEYS: none. ARGV: channel, then the messages to publish on it, in order. */
const FEED_SCRIPTS = declareRedisScripts({
  acsPublishAll: {
    numberOfKeys: 0,
    lua: `for i = 2, #ARGV do redis.call('PUBLISH', ARGV[1], ARGV[i]) end
return #ARGV - 1`,
  },
});

type FeedRedis = ReturnType<typeof withRedisScripts<keyof typeof FEED_SCRIPTS>>;

/**
 * The console's side of a CWMP session: each Inform updates the fleet counters and announces
 * the session in one Redis script call; the other events (a session ended or recorded, tasks,
 * parameters) wait in an outbox that the next Inform's script publishes first, or that leaves
 * in one command after COALESCE_MS when no Inform comes. Subscribers see the same messages, in
 * the order this process produced them. Nothing touches MongoDB.
 */
export class ConsoleFeed implements SessionObserver {
  private readonly channel: string;
  private readonly stats: FleetStats;
  private readonly redis: FeedRedis;
  private outbox: string[] = [];
  private timer?: NodeJS.Timeout;
  /** the outbox's sends still in flight, for close */
  private readonly sending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    redis: RedisClient,
    prefix: string,
    /** an outbox send failed: its events are lost (the session that produced them is long answered) */
    private readonly onError: (err: unknown) => void,
  ) {
    this.redis = withRedisScripts(redis, FEED_SCRIPTS);
    this.channel = liveChannel(prefix);
    this.stats = new FleetStats(redis, prefix);
  }

  async informed(e: Parameters<SessionObserver['informed']>[0]): Promise<void> {
    const event: LiveEvent = { type: 'session', deviceId: e.deviceId, state: 'started', sessionId: e.sessionId, at: e.at.toISOString() };
    // What waits in the outbox happened before this Inform: it goes first, in the same call.
    const messages = this.take();
    messages.push(JSON.stringify(event));
    await this.stats.informed(
      { deviceId: e.deviceId, at: e.at, productClass: e.productClass, softwareVersion: e.softwareVersion, bootstrap: e.events.includes('0 BOOTSTRAP') },
      { channel: this.channel, messages },
    );
  }

  async sessionEnded(e: Parameters<SessionObserver['sessionEnded']>[0]): Promise<void> {
    this.publish({ type: 'session', deviceId: e.deviceId, state: 'ended', sessionId: e.sessionId, at: e.at.toISOString() });
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

  /** Queues the event for the outbox; once closed, sends it at once. */
  private publish(event: LiveEvent): void {
    this.outbox.push(JSON.stringify(event));
    if (this.closed || this.outbox.length >= MAX_BATCH) this.send();
    else this.timer ??= setTimeout(() => this.send(), COALESCE_MS);
  }

  /** Sends what waits and whatever comes later at once; resolves when the sends are done. */
  async close(): Promise<void> {
    this.closed = true;
    this.send();
    await Promise.all(this.sending);
  }

  private take(): string[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    const messages = this.outbox;
    this.outbox = [];
    return messages;
  }

  private send(): void {
    const messages = this.take();
    if (!messages.length) return;
    const sent = this.redis.acsPublishAll(this.channel, ...messages).then(() => undefined, this.onError);
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }
}
