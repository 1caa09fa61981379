import type { DeviceDoc } from '../../devices/types';
import type { FinalOutcome } from '../../tasks/outcome';
import type { TaskDoc } from '../../tasks/types';
import type { AcsRequest, CpeResponse, Fault, Inform } from '../soap/types';

/** A device as a reconciler sees it at Inform: the fields it asked for, from the session's one read. */
export type ReconcileView = Partial<DeviceDoc> & { _id: string };

export interface ReconcileContext {
  deviceId: string;
  sessionId: string;
  now: Date;
}

/**
 * The next step of a plan. `rpc` is sent as is; `task` is a task the reconciler queued for this
 * device (recorded, visible in the API like any other), which the engine claims and sends now,
 * so that its answer settles it and a later TransferComplete closes it through the usual
 * matching. Neither: the plan is over.
 */
export interface ReconcileStep {
  state: unknown;
  rpc?: AcsRequest;
  task?: TaskDoc;
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
  next(state: unknown, ctx: ReconcileContext): Promise<ReconcileStep>;
  /** The device's answer (response or fault) to the last request or task `next` returned. */
  answer(state: unknown, rpc: AcsRequest, reply: CpeResponse | Fault, ctx: ReconcileContext): Promise<unknown>;
  /**
   * A transfer task became final after its session: TransferComplete, or lost when the device
   * bootstrapped. Called for every such task; the reconciler picks out its own.
   */
  settled?(task: TaskDoc, outcome: FinalOutcome, ctx: ReconcileContext): Promise<void>;
}

/** For deployments without provisioning: every device is always up to date. */
export const NO_RECONCILER: Reconciler = {
  viewFields: [],
  begin: () => undefined,
  next: async (state) => ({ state }),
  answer: async (state) => state,
};
