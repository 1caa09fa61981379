/**
 * What a session tells the rest of the ACS as it happens (the console's live feed and fleet
 * counters). Implementations must be cheap (a Redis call, no MongoDB) and must not throw into
 * the session: the engine logs and ignores their failures.
 */
export interface SessionObserver {
  /** Called once MongoDB has acknowledged the Inform's writes. */
  informed(e: { deviceId: string; sessionId: string; at: Date; productClass: string; softwareVersion?: string; events: string[] }): Promise<void>;
  sessionEnded(e: { deviceId: string; sessionId: string; at: Date }): Promise<void>;
  taskFinished(e: { deviceId: string; taskId: string; status: string; at: Date; jobId?: string }): Promise<void>;
  parametersLearned(e: { deviceId: string; paths: string[]; at: Date }): Promise<void>;
}
