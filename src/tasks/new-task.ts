import { ObjectId } from 'mongodb';
import type { AcsRequest } from '../cwmp/soap/types';
import type { TaskDoc } from './types';

export interface QueueOptions {
  expiresAt?: Date;
  jobId?: string;
  expect?: TaskDoc['expect'];
  /** who queued it (an API token's name, or the ACS part that did) */
  createdBy?: string;
  /** a connection request to send once the task is released (operator tasks) */
  connectionRequest?: boolean;
  now?: Date;
  /** a given id (a job's tasks have ids derived from the job, so replanning writes the same) */
  id?: string;
}

/** A new pending task for `deviceId`, not yet stored. */
export function newTask(deviceId: string, rpc: AcsRequest, options: QueueOptions = {}): TaskDoc {
  const now = options.now ?? new Date();
  return {
    _id: options.id ?? new ObjectId().toHexString(),
    deviceId,
    rpc,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
    attempts: 0,
    ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
    ...(options.jobId ? { jobId: options.jobId } : {}),
    ...(options.expect ? { expect: options.expect } : {}),
    ...(options.createdBy ? { createdBy: options.createdBy } : {}),
    ...(options.connectionRequest ? { connectionRequest: { status: 'queued' as const, queuedAt: now, attempts: 0 } } : {}),
  };
}
