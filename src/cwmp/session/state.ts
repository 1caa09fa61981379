import type { AcsRequest, CwmpNamespace } from '../soap/types';
import type { SessionTrace } from '../trace/types';

/**
 * A CWMP session as kept in Redis under its cookie, so that any replica can serve the next
 * request of any session.
 *
 * - `cpe`: after InformResponse, the device may send its own requests;
 * - `acs`: after the device's empty POST, the ACS sends its requests one at a time;
 * - `ended`: the ACS answered 204; the state lingers briefly so that requests the device held
 *   back (HoldRequests) and late messages get a precise answer.
 */
export type SessionPhase = 'cpe' | 'acs' | 'ended';

export interface InflightRpc {
  /** the task this request carries; absent for a request of the reconciler's plan */
  taskId?: string;
  /** the task was queued by the reconciler's plan, which gets the answer too */
  planned?: true;
  /** the bulk job the task belongs to (its progress is announced to the console) */
  jobId?: string;
  /** cwmp:ID of the request; the response must echo it (or send none) */
  rpcId: string;
  rpc: AcsRequest;
}

export interface SessionIdentity {
  /** the HTTP username the opening Inform authenticated with */
  username?: string;
  /** SHA-256 fingerprint of the TLS client certificate that authenticated the device */
  certificate?: string;
  /** the device has its own credential (else the global one applies) */
  ownCredential?: boolean;
}

export interface SessionState {
  /** newSessionId(deviceId): it starts with the device's session group */
  id: string;
  deviceId: string;
  namespace: CwmpNamespace;
  cwmpVersion: string;
  /** the client address that opened the session; every request of it must come from there */
  remoteAddress: string;
  /** who opened the session; a request presenting another identity is refused */
  identity?: SessionIdentity;
  /** SoftwareVersion the device reported in this session's Inform */
  softwareVersion?: string;
  /** the device's MAC as the ACS knows it, so a reported one is recorded only when it changed */
  mac?: string;
  startedAt: number;
  phase: SessionPhase;
  /** ids of the device's queued tasks not yet looked at in this session */
  queue: string[];
  inflight?: InflightRpc;
  /** the reconciler's plan, while the device is not yet in its desired state */
  reconcile?: unknown;
  /** ACS requests sent so far */
  rpcCount: number;
  holdRequests: boolean;
  /** what the operator's session trace has recorded so far (cwmp/trace) */
  trace?: SessionTrace;
}
