import type { CpeResponse, Fault, TransferComplete } from '../cwmp/soap/types';
import type { RefusedParameter } from '../devices/learn';
import type { TaskDoc, TaskFault, TransferResult } from './types';

/** Where a task stands after the device answered it. Pure. */
export type Outcome =
  | { status: 'done'; result: CpeResponse | TransferResult; refused?: RefusedParameter[] }
  | { status: 'fault'; fault: TaskFault; result?: CpeResponse }
  | { status: 'awaiting'; result: CpeResponse };

/** An outcome that ends the task. */
export type FinalOutcome = Exclude<Outcome, { status: 'awaiting' }>;

/**
 * A transfer answered with Status 1 (or a ScheduleDownload, which has no status) is only
 * accepted: the task finishes when the matching TransferComplete arrives.
 */
export function outcomeOfResponse(response: CpeResponse): Outcome {
  switch (response.method) {
    case 'DownloadResponse':
    case 'UploadResponse':
      return response.status === 1 ? { status: 'awaiting', result: response } : { status: 'done', result: response };
    case 'ScheduleDownloadResponse':
      return { status: 'awaiting', result: response };
    default:
      return { status: 'done', result: response };
  }
}

export function outcomeOfFault(fault: Fault): Outcome {
  const detail = fault.detail;
  return {
    status: 'fault',
    fault: {
      code: detail.faultCode,
      message: detail.faultString || fault.faultstring,
      ...(detail.setParameterValuesFault.length ? { setParameterValuesFault: detail.setParameterValuesFault } : {}),
    },
  };
}

/**
 * A TransferComplete's verdict on its task. A transfer the device calls successful still fails
 * when the task expected a software version the device does not report (a firmware image
 * that did not take).
 */
export function outcomeOfTransfer(tc: TransferComplete, expected: TaskDoc['expect'], reportedSoftwareVersion: string | undefined): FinalOutcome {
  if (tc.faultStruct.faultCode !== 0) {
    return { status: 'fault', fault: { code: tc.faultStruct.faultCode, message: tc.faultStruct.faultString } };
  }
  const want = expected?.softwareVersion;
  if (want !== undefined && reportedSoftwareVersion !== want) {
    return { status: 'fault', fault: { code: 'version_mismatch', message: `device reports software version ${JSON.stringify(reportedSoftwareVersion ?? '')}, expected ${JSON.stringify(want)}` } };
  }
  return { status: 'done', result: { method: 'TransferComplete', startTime: tc.startTime, completeTime: tc.completeTime } };
}
