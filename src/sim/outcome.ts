/** Why a session failed (TR-069 §3.2.1.1: each of these counts toward RetryCount). */
export type FailureReason =
  /** the ACS answered with an HTTP status a session cannot go on with (5xx, 503/429, 4xx) */
  | 'http-status'
  /** authentication failed: 401 that could not be answered, or refused credentials */
  | 'auth'
  /** connection refused/reset, DNS, TLS */
  | 'network'
  /** no answer within the request timeout */
  | 'timeout'
  /** the ACS answered an Inform with a SOAP fault */
  | 'fault'
  /** the ACS broke the protocol: wrong content type, undecodable or unexpected message, wrong ID */
  | 'protocol'
  /** the fleet stopped mid-session */
  | 'aborted'
  /** a bug in the simulator itself */
  | 'internal';

export class SessionFailure extends Error {
  override name = 'SessionFailure';
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly status?: number,
    /** seconds, from a Retry-After header */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface SessionOutcome {
  ok: boolean;
  reason?: FailureReason;
  /** what went wrong, for logs and test messages */
  detail?: string;
  /** the HTTP status of the failing response, if any */
  httpStatus?: number;
  retryAfter?: number;
  /** event codes sent in the Inform */
  events: string[];
  /** the RetryCount sent in the Inform */
  retryCount: number;
  /** methods of the ACS requests answered, in order */
  acsRequests: string[];
  /** TransferCompletes the ACS acknowledged */
  transferCompletes: number;
  /** HTTP requests made (401 retries and redirects included) */
  httpRequests: number;
  startedAt: number;
  durationMs: number;
}
