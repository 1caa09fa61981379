import type { FirmwarePolicyDoc } from '../../../src/firmware/types';

export const FW_PC = 'CP-8851-3PCC';

/** A firmware policy for the planner's and the reconciler's unit tests: one wave of two devices, no window. */
export function firmwarePolicy(over: Partial<FirmwarePolicyDoc> = {}): FirmwarePolicyDoc {
  const at = new Date('2026-11-01T00:00:00Z');
  return {
    _id: FW_PC,
    revision: 3,
    target: '12.0.2',
    stages: [],
    allowDowngrade: false,
    windows: [],
    utcOffsetMinutes: 0,
    rollout: { waves: [{ count: 2 }], faultThreshold: 0.5, minResults: 1, soakSeconds: 0 },
    state: { status: 'running', wave: 0, population: 10, progress: { w0: { admitted: 0, done: 0, fault: 0 } }, changedAt: at },
    files: [{ version: '12.0.2', fileId: 'fw-12', filename: 'sip88xx.12-0-2.loads', size: 1000 }],
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}
