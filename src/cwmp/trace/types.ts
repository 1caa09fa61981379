/** How a CWMP session ended, as the trace and its log line say. */
export type SessionEnd = 'completed' | 'timed_out' | 'refused' | 'error';

/** One ACS request of a session and what became of it. */
export interface TracedRpc {
  method: string;
  /** cwmp:ID of the request */
  rpcId: string;
  /** the task it carried; absent for a request of the provisioning plan */
  taskId?: string;
  /** ms after the Inform when the answer came (or the request was given up) */
  at: number;
  /** done, fault, awaiting (a transfer accepted), unanswered (the device moved on or went silent) */
  outcome: 'done' | 'fault' | 'awaiting' | 'unanswered';
  fault?: { code: number | string; message: string };
  /** SOAP bodies, secrets redacted: only while an operator traces the device */
  request?: string;
  response?: string;
}

/** A request the device sent on its own (TransferComplete, GetRPCMethods, ...). */
export interface TracedCpeRequest {
  method: string;
  at: number;
  body?: string;
}

/** What a session has done so far; travels in the session's state in Redis. */
export interface SessionTrace {
  /** the device's session number, 1, 2, ...: the trace's id in the API */
  seq: number;
  events: string[];
  /** SOAP bodies are kept (an operator switched tracing on for the device) */
  bodies: boolean;
  /** characters of bodies kept so far, against the session's budget */
  bodyChars: number;
  inform?: string;
  rpcs: TracedRpc[];
  cpeRequests: TracedCpeRequest[];
}

/** A finished session as kept in `session_traces`, one of the last N of its device. */
export interface SessionTraceDoc {
  /** `<deviceId>:<seq mod N>`: the device's last N sessions reuse N documents */
  _id: string;
  deviceId: string;
  seq: number;
  source: string;
  cwmpVersion: string;
  softwareVersion?: string;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  outcome: SessionEnd;
  reason?: string;
  events: string[];
  rpcs: TracedRpc[];
  cpeRequests: TracedCpeRequest[];
  faults: number;
  bodies: boolean;
  inform?: string;
  /** the TTL index removes the document after this */
  expiresAt: Date;
}
