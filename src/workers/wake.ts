import type { Job } from 'bullmq';
import type { Config } from '../config';
import { sendConnectionRequest } from '../cwmp/connection-request';
import type { DeviceRepository } from '../devices/repository';
import type { WakeData } from '../jobs/queues';
import type { Logger } from '../log';
import type { TaskRepository } from '../tasks/repository';
import type { ConnectionRequestStatus } from '../tasks/types';
import { workerMetrics } from './metrics';

export interface WakeDeps {
  devices: DeviceRepository;
  tasks: TaskRepository;
  config: Config['connectionRequests'];
  log: Logger;
}

/** Thrown to make BullMQ retry a connection request after its back-off. */
export class RetryWake extends Error {
  override name = 'RetryWake';
}

/**
 * Processes one connection request: GET the device's ConnectionRequestURL with its own
 * credential (or the configured default), and record the outcome on the tasks it was for. An
 * unreachable or busy device is tried again with back-off until the attempts run out.
 */
export function wakeProcessor(deps: WakeDeps): (job: Job<WakeData>) => Promise<string> {
  return async (job) => {
    const { deviceId, taskIds } = job.data;
    const attempt = job.attemptsMade + 1;
    const final = (status: Exclude<ConnectionRequestStatus, 'queued'>, message?: string) => {
      workerMetrics.connectionRequests.inc({ outcome: status });
      return deps.tasks.recordConnectionRequest(taskIds, { status, attempts: attempt, at: new Date(), ...(message ? { message } : {}) }).then(() => status);
    };
    const device = await deps.devices.get(deviceId, { connectionRequestUrl: 1, connectionRequestAuth: 1 });
    if (!device) return final('unreachable', 'the device no longer exists');
    if (!device.connectionRequestUrl) return final('no_url', 'the device has not reported a ConnectionRequestURL');
    const result = await sendConnectionRequest(device.connectionRequestUrl, {
      credential: device.connectionRequestAuth ?? deps.config.credential,
      allowBasic: deps.config.allowBasic,
      timeoutMs: deps.config.timeoutMs,
      blocked: deps.config.blockedNetworks,
    });
    if (result.outcome === 'woke') return final('woke');
    if (result.outcome === 'blocked') {
      deps.log.warn({ event: 'cr.blocked', deviceId, reason: result.message }, 'connection request not sent: its URL points into a blocked network');
      return final('unreachable', result.message);
    }
    if (result.outcome === 'auth_refused') {
      deps.log.warn({ event: 'cr.auth_refused', deviceId, reason: result.message }, 'device refused the connection request credentials');
      return final('auth_refused', result.message);
    }
    if (attempt < (job.opts.attempts ?? 1)) {
      workerMetrics.connectionRequests.inc({ outcome: 'retry' });
      await deps.tasks.recordConnectionRequest(taskIds, { status: 'queued', attempts: attempt, at: new Date(), message: result.message });
      throw new RetryWake(result.message);
    }
    deps.log.info({ event: 'cr.unreachable', deviceId, reason: result.message, attempts: attempt }, 'device unreachable for its connection request');
    return final('unreachable', result.message);
  };
}
