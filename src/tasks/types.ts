import type { AcsRequest, CpeResponse, SetParameterValuesFault } from '../cwmp/soap/types';

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
  /** the session holding the task while it is in flight */
  sessionId?: string;
  /** set when a Download/Upload was accepted with Status 1 and its TransferComplete is awaited */
  awaiting?: 'TransferComplete';
  result?: CpeResponse | TransferResult;
  fault?: TaskFault;
  completedAt?: Date;
  /** the bulk job that created the task, if any */
  jobId?: string;
  /**
   * What must hold once the device reports the transfer done: a firmware Download succeeds
   * only when the device then reports this SoftwareVersion.
   */
  expect?: { softwareVersion?: string };
}

export interface TransferResult {
  method: 'TransferComplete';
  startTime: string;
  completeTime: string;
}
