import type { AcsRequest } from '../cwmp/soap/types';
import { FINAL_STATUSES, type TaskDoc } from './types';

/**
 * What a session does with a queued task it looks at. Pure.
 * - send: pending, or left in flight by a session that died (one session per device, so any
 *   other session holding it is gone);
 * - expire: its expiry passed before the device answered it;
 * - skip: it waits for a TransferComplete, or this session already holds it;
 * - drop: it no longer exists or is final; the device's queue should forget it.
 */
export type Decision = 'send' | 'expire' | 'skip' | 'drop';

export function decide(task: TaskDoc | null, sessionId: string, now: Date): Decision {
  if (!task || FINAL_STATUSES.includes(task.status)) return 'drop';
  if (task.status === 'sent' && (task.awaiting || task.sessionId === sessionId)) return 'skip';
  if (task.expiresAt && task.expiresAt <= now) return 'expire';
  return 'send';
}

/**
 * The request as sent: an empty CommandKey of a transfer, reboot or scheduled inform becomes
 * the task id, so the device's later TransferComplete or `M` event names the task.
 */
export function requestFor(rpc: AcsRequest, taskId: string): AcsRequest {
  switch (rpc.method) {
    case 'Download':
    case 'Upload':
    case 'Reboot':
    case 'ScheduleInform':
    case 'ScheduleDownload':
      return rpc.commandKey ? rpc : { ...rpc, commandKey: taskId };
    default:
      return rpc;
  }
}
