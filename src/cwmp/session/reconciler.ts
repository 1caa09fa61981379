import type { DeviceDoc } from '../../devices/types';
import type { AcsRequest, CpeResponse, Fault, Inform } from '../soap/types';

/** A device as a reconciler sees it at Inform: the fields it asked for, from the session's one read. */
export type ReconcileView = Partial<DeviceDoc> & { _id: string };

export interface ReconcileContext {
  deviceId: string;
  sessionId: string;
  now: Date;
}

/**
 * Brings a device to its desired state inside its session, after the operator's tasks. The
 * engine owns the protocol (sending, matching answers, learning what responses report); the
 * reconciler only decides what to ask next. Its state is opaque JSON kept with the session in
 * Redis, so any replica continues the plan.
 */
export interface Reconciler {
  /** Device document fields needed at Inform, added to the projection of the session's read. */
  readonly viewFields: readonly string[];
  /**
   * Called once at Inform with what the device reported. Must not touch the stores for a device
   * that is up to date (the periodic hot path): return undefined and the session costs nothing
   * more. Otherwise return the plan's initial state.
   */
  begin(view: ReconcileView, inform: Inform, ctx: ReconcileContext): unknown;
  /** The next request of the plan, or no request when the device is reconciled. */
  next(state: unknown, ctx: ReconcileContext): Promise<{ state: unknown; rpc?: AcsRequest }>;
  /** The device's answer (response or fault) to the last request `next` returned. */
  answer(state: unknown, rpc: AcsRequest, reply: CpeResponse | Fault, ctx: ReconcileContext): Promise<unknown>;
}

/** For deployments without provisioning: every device is always up to date. */
export const NO_RECONCILER: Reconciler = {
  viewFields: [],
  begin: () => undefined,
  next: async (state) => ({ state }),
  answer: async (state) => state,
};
