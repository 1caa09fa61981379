import type { AcsRequest, CpeResponse, SetParameterValuesFault } from '../cwmp/soap/types';
import type { RefusedParameter } from '../devices/learn';

/**
 * pending: waiting for a session; sent: in flight in a session, or accepted by the device
 * and awaiting TransferComplete; done / fault / expired / cancelled are final.
 */
export type TaskStatus = 'pending' | 'sent' | 'done' | 'fault' | 'expired' | 'cancelled';
export const FINAL_STATUSES: readonly TaskStatus[] = ['done', 'fault', 'expired', 'cancelled'];

export interface TaskFault {
  /** CWMP fault code (9xxx from the device) or an ACS code such as 'timeout' */
  code: number | string;
  message: string;
  setParameterValuesFault?: SetParameterValuesFault[];
}

export interface TaskDoc {
  /** 24 hex characters; doubles as CommandKey/ParameterKey when the RPC has none */
  _id: string;
  deviceId: string;
  rpc: AcsRequest;
  status: TaskStatus;
  createdAt: Date;
  updatedAt: Date;
  /** a task not sent by then becomes `expired` */
  expiresAt?: Date;
  /** times the RPC was sent (a task returns to pending when its session dies) */
  attempts: number;
  sentAt?: Date;
  /** the session holding the task while it is in flight; on a task a session's answer settled, that session */
  sessionId?: string;
  /** set when a Download/Upload was accepted with Status 1 and its TransferComplete is awaited */
  awaiting?: 'TransferComplete';
  result?: CpeResponse | TransferResult;
  /** parameters the answer reported that the ACS did not store (invalid names, values over the limit) */
  refused?: RefusedParameter[];
  fault?: TaskFault;
  completedAt?: Date;
  /** the bulk job that created the task, if any */
  jobId?: string;
  /**
   * What must hold once the device reports the transfer done: a firmware Download succeeds
   * only when the device then reports this SoftwareVersion.
   */
  expect?: { softwareVersion?: string };
  /**
   * When the task was released to its device's `taskQueue`. The API persists its tasks first
   * and announces them next; until then no session can see them. A bulk job stores each
   * device's tasks as it releases the device, already with this set, and announces them next.
   */
  releasedAt?: Date;
  /** the connection request sent to wake the device for this task, if one was asked for */
  connectionRequest?: ConnectionRequestState;
  /** name of the API token that queued the task */
  createdBy?: string;
  /** an operator cleared the fault from the fault lists */
  faultCleared?: boolean;
  /** times an operator retried the task after a fault; earlier faults, oldest first */
  retries?: number;
  previousFaults?: TaskFault[];
}

/**
 * queued: not tried yet, or being retried; woke: the device accepted it; unreachable: no
 * answer, refused or busy after every attempt; auth_refused: the device refused the
 * credentials; no_url: the device never reported a ConnectionRequestURL.
 */
export type ConnectionRequestStatus = 'queued' | 'woke' | 'unreachable' | 'auth_refused' | 'no_url';

export interface ConnectionRequestState {
  status: ConnectionRequestStatus;
  queuedAt: Date;
  attempts: number;
  /** when the last attempt ended */
  at?: Date;
  message?: string;
}

export interface TransferResult {
  method: 'TransferComplete';
  startTime: string;
  completeTime: string;
}
