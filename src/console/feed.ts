import type { RedisClient } from '../stores/redis';
import type { SessionObserver } from '../cwmp/session/observer';
import { eventPaths, liveChannel, publishLive, type LiveEvent } from './events';
import { FleetStats } from './fleet-stats';

/**
 * The console's side of a CWMP session: each Inform updates the fleet counters and announces
 * the session in one Redis script call; the rest is one PUBLISH each. Nothing touches MongoDB.
 */
export class ConsoleFeed implements SessionObserver {
  private readonly channel: string;
  private readonly stats: FleetStats;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.channel = liveChannel(prefix);
    this.stats = new FleetStats(redis, prefix);
  }

  async informed(e: Parameters<SessionObserver['informed']>[0]): Promise<void> {
    const event: LiveEvent = { type: 'session', deviceId: e.deviceId, state: 'started', sessionId: e.sessionId, at: e.at.toISOString() };
    await this.stats.informed(
      { deviceId: e.deviceId, at: e.at, productClass: e.productClass, softwareVersion: e.softwareVersion, bootstrap: e.events.includes('0 BOOTSTRAP') },
      { channel: this.channel, message: JSON.stringify(event) },
    );
  }

  sessionEnded(e: Parameters<SessionObserver['sessionEnded']>[0]): Promise<void> {
    return this.publish({ type: 'session', deviceId: e.deviceId, state: 'ended', sessionId: e.sessionId, at: e.at.toISOString() });
  }

  /** The session's trace is stored: `GET /devices/{id}/sessions` now lists it. */
  sessionRecorded(e: { deviceId: string; sessionId: string; at: Date }): Promise<void> {
    return this.publish({ type: 'session', deviceId: e.deviceId, state: 'recorded', sessionId: e.sessionId, at: e.at.toISOString() });
  }

  /** A job's task also moves the job's progress: the jobs pages listen for `job` events. */
  async taskFinished(e: Parameters<SessionObserver['taskFinished']>[0]): Promise<void> {
    const at = e.at.toISOString();
    await this.publish({ type: 'task', deviceId: e.deviceId, id: e.taskId, status: e.status, at });
    if (e.jobId) await this.publish({ type: 'job', jobId: e.jobId, deviceId: e.deviceId, status: e.status, at });
  }

  parametersLearned(e: Parameters<SessionObserver['parametersLearned']>[0]): Promise<void> {
    return this.publish({ type: 'parameters', deviceId: e.deviceId, paths: eventPaths(e.paths), at: e.at.toISOString() });
  }

  publish(event: LiveEvent): Promise<void> {
    return publishLive(this.redis, this.prefix, event);
  }
}
