import { LRUCache } from 'lru-cache';
import type { Tr069Mapper } from '../../cisco/mapping';
import type { ReconcileContext, ReconcileStep, ReconcileView, Reconciler } from '../../cwmp/session/reconciler';
import type { AcsRequest, CpeResponse, Fault, Inform } from '../../cwmp/soap/types';
import { BOOTSTRAP, hasEvent } from '../../devices/learn';
import { rolloutId, type DeviceFirmwareState } from '../../firmware/types';
import { interimKey } from '../../profiles/revision';
import type { FinalOutcome } from '../../tasks/outcome';
import type { TaskDoc, TaskFault } from '../../tasks/types';
import { FILE_TYPE, DownloadFlowError } from '../flows/downloads';
import { fileChanges, firmwareChanges, objectChanges, setChanges } from '../plan/changes';
import { afterAdd, afterGet, afterList, afterSet, buildConfigPlan, endRecordsRevision, nextConfigAction, type ConfigAction, type ConfigPlan } from '../plan/config';
import { configWanted, countsInWave, failureOf, firmwareStep, splitRollout } from '../plan/decide';
import { confirmedPaths } from '../plan/delivery';
import { isManaged, type EffectiveState } from '../plan/effective';
import { factsOf, informed, informedDevice, keyFor, macroFacts } from '../plan/facts';
import { expandEntries } from '../render/render';
import { PROVISIONING_ACTOR, provisionOf, type ProvisionFailure, type ProvisionState } from '../types';
import { provisioningMetrics } from './metrics';
import type { QueueOptions, ReconcilerPorts } from './ports';

/**
 * Zero-touch provisioning in the CWMP session: the planner's decisions (plan/) carried out
 * through the ports, nothing decided here.
 *
 * At Inform (`begin`, the hot path) everything is decided in memory: the profiles that match
 * the device come from the process's snapshot, the revision key from them and the revisions the
 * device document carries. A device reporting that key as its ParameterKey (or whose document
 * records it as applied) is up to date and costs nothing; so is a device whose firmware needs
 * nothing. Otherwise, after the operator's tasks, the plan runs: the configuration part
 * (plan/config.ts) and then the firmware part (policy, rollout admission, maintenance window).
 *
 * What records the applied revision: a plan that ends with a SetParameterValues writes the key
 * as ParameterKey (earlier requests of the plan write an interim key that never matches). A plan
 * whose last step is the configuration file records the key in the device document
 * (`provision.applied`) when the file's TransferComplete reports success (not before: a file
 * the device then refuses leaves the revision failed, not applied); a plan with nothing to
 * send records it at once. A device refusing a value gets a fault record (a task in fault)
 * and `provision.failed`: that revision is not tried again until the key changes, the device
 * bootstraps, or an operator clears the failure.
 */

/** What a plan keeps between the requests of a session (JSON, in Redis with the session). */
export interface PlanState {
  phase: 'load' | 'config' | 'firmware' | 'end';
  bootstrap: boolean;
  productClass: string;
  /** what begin() found to do */
  config: boolean;
  firmware: boolean;
  reportedKey?: string;
  softwareVersion?: string;
  key?: string;
  profiles?: Array<{ name: string; revision: number }>;
  plan?: ConfigPlan;
  /** the request in flight and what it was for */
  pending?: ConfigAction | { kind: 'firmware'; rollout: string; productClass: string; revision: number; wave: number; hop: string };
  firmwareState?: DeviceFirmwareState;
}

const TASK_LIFETIME_MS = 24 * 3600 * 1000;
/** how long a product class's mapping and learned data model are kept in memory */
const MAPPER_CACHE_MS = 5000;
const MODEL_CACHE_ENTRIES = 1000;

export class ProvisioningReconciler implements Reconciler {
  readonly viewFields = ['tags', 'mac', 'provision'] as const;
  // Mappings and learned data models change when an operator edits or runs a discovery: a few seconds of staleness are fine.
  private readonly mappers: LRUCache<string, Tr069Mapper>;
  private readonly models: LRUCache<string, { paths?: ReadonlySet<string> }>;

  constructor(private readonly d: ReconcilerPorts) {
    const cached = { max: MODEL_CACHE_ENTRIES, ttl: MAPPER_CACHE_MS };
    this.mappers = new LRUCache({ ...cached, fetchMethod: (productClass) => d.mappings.mapper(productClass) });
    this.models = new LRUCache({
      ...cached,
      fetchMethod: async (key) => {
        const [productClass, softwareVersion] = key.split('\n');
        const paths = await d.datamodels.paths(productClass, softwareVersion);
        return paths ? { paths } : {};
      },
    });
  }

  // ------------------------------------------------------------------ hot path

  begin(view: ReconcileView, inform: Inform, ctx: ReconcileContext): PlanState | undefined {
    const provision = provisionOf(view);
    const device = informedDevice(ctx.deviceId, inform, { ...view, provision });
    const facts = factsOf(device);
    const bootstrap = hasEvent(inform, BOOTSTRAP);
    const reportedKey = informed(inform, 'ManagementServer.ParameterKey');
    const profiles = this.d.snapshot.matchProfiles(facts);
    // Parameters of its own written before the device first informed have no mirror yet: at
    // BOOTSTRAP (rare) load() reads the store itself (S02: 001 L301-312).
    const key = isManaged(profiles, provision?.own !== undefined) ? keyFor(profiles, facts, provision) : undefined;
    const config = configWanted({ key, bootstrap, reportedKey, provision, now: ctx.now });
    const firmware = firmwareStep(this.d.snapshot.policy(facts.productClass), facts.softwareVersion, provision?.firmware, ctx.now) !== undefined;
    if (!config && !firmware) return undefined;
    if (config) provisioningMetrics.plans.inc({ part: 'config', bootstrap: String(bootstrap) });
    if (firmware) provisioningMetrics.plans.inc({ part: 'firmware', bootstrap: String(bootstrap) });
    return {
      phase: 'load',
      bootstrap,
      productClass: facts.productClass,
      config,
      firmware,
      ...(reportedKey !== undefined ? { reportedKey } : {}),
      ...(facts.softwareVersion !== undefined ? { softwareVersion: facts.softwareVersion } : {}),
    };
  }

  // ------------------------------------------------------------------ the plan

  async next(raw: unknown, ctx: ReconcileContext): Promise<ReconcileStep> {
    const state = raw as PlanState;
    for (let guard = 0; guard < 8; guard++) {
      switch (state.phase) {
        case 'load':
          await this.load(state, ctx);
          break;
        case 'config': {
          const step = await this.configStep(state, ctx);
          if (step) return step;
          break;
        }
        case 'firmware': {
          state.phase = 'end';
          const task = await this.firmwareStep(state, ctx);
          if (task) return { state, task };
          break;
        }
        case 'end':
          return { state };
      }
    }
    return { state };
  }

  private async load(state: PlanState, ctx: ReconcileContext): Promise<void> {
    state.phase = 'firmware';
    const device = await this.d.devices.get(ctx.deviceId);
    if (!device) return;
    const provision = device.provision ?? {};
    if (provision.firmware) state.firmwareState = provision.firmware;
    if (!state.config) return;
    // What was read at Inform is from before this session's Inform write: use what it says now.
    const effective = await this.d.effective.resolve({ ...device, ...(state.softwareVersion !== undefined ? { softwareVersion: state.softwareVersion } : {}) });
    await this.repairMirrors(ctx.deviceId, provision, effective);
    if (!effective.managed) return;
    const key = effective.key;
    state.key = key;
    state.profiles = effective.profiles.map((p) => ({ name: p._id, revision: p.revision }));
    if (!configWanted({ key, bootstrap: state.bootstrap, reportedKey: state.reportedKey, provision, now: ctx.now })) return;
    const { facts } = effective;
    const [applied, mapper, tree, model] = await Promise.all([
      this.d.applied.get(ctx.deviceId),
      this.mapper(facts.productClass),
      this.d.devices.tree(ctx.deviceId),
      this.modelPaths(facts.productClass, facts.softwareVersion),
    ]);
    state.plan = buildConfigPlan({
      key,
      entries: expandEntries(macroFacts(facts, device), effective.merged.entries),
      secret: effective.secret,
      mapper,
      confirmed: confirmedPaths(model, tree),
      presumed: model ?? new Set(),
      tree,
      now: ctx.now,
      maxAgeMs: this.d.valueMaxAgeMs,
      ...(applied?.file ? { deliveredFile: applied.file.digest } : {}),
      forceFile: state.bootstrap,
    });
    state.phase = 'config';
  }

  /** Mirrors of the device's own inputs missing from its document (written before it first informed). */
  private async repairMirrors(deviceId: string, provision: ProvisionState, effective: EffectiveState): Promise<void> {
    const set: Partial<ProvisionState> = {};
    const unset: Array<keyof ProvisionState> = [];
    for (const [field, revision] of [['own', effective.own?.revision], ['vars', effective.variables?.revision]] as const) {
      if (revision === provision[field]) continue;
      if (revision === undefined) unset.push(field);
      else set[field] = revision;
    }
    if (Object.keys(set).length || unset.length) await this.d.devices.update(deviceId, set, unset);
  }

  private async configStep(state: PlanState, ctx: ReconcileContext): Promise<ReconcileStep | undefined> {
    const plan = state.plan!;
    const action = nextConfigAction(plan);
    state.pending = action;
    switch (action.kind) {
      case 'list':
        return { state, rpc: { method: 'GetParameterNames', parameterPath: action.table, nextLevel: true } };
      case 'add':
        return { state, rpc: { method: 'AddObject', objectName: action.table, parameterKey: interimKey(plan.key) } };
      case 'get':
        return { state, rpc: { method: 'GetParameterValues', parameterNames: action.paths } };
      case 'set':
        return {
          state,
          rpc: { method: 'SetParameterValues', parameterKey: action.final ? plan.key : interimKey(plan.key), parameterList: action.params.map((p) => ({ name: p.path, value: p.value, type: p.type })) },
        };
      case 'file': {
        plan.file!.queued = true;
        let task: TaskDoc;
        try {
          task = await this.d.downloads.config(ctx.deviceId, this.queueOptions(ctx));
        } catch (err) {
          if (!(err instanceof DownloadFlowError)) throw err;
          await this.fail(state, ctx, { code: 'not_deliverable', message: err.message }, undefined);
          return undefined;
        }
        await this.d.applied.pending(ctx.deviceId, { taskId: task._id, key: plan.key, digest: plan.file!.digest, values: plan.file!.values, at: ctx.now });
        // Sessions until the transfer is reported (the one reporting it first) then need no read.
        await this.d.devices.update(ctx.deviceId, { pending: { key: plan.key, taskId: task._id, at: ctx.now } });
        return { state, task };
      }
      case 'done':
        state.pending = undefined;
        state.plan = undefined;
        state.phase = 'firmware';
        if (endRecordsRevision(plan)) await this.applied(ctx.deviceId, plan.key);
        return undefined;
    }
  }

  async answer(raw: unknown, rpc: AcsRequest, reply: CpeResponse | Fault, ctx: ReconcileContext): Promise<unknown> {
    const state = raw as PlanState;
    const pending = state.pending;
    state.pending = undefined;
    if (!pending) return state;
    if (pending.kind === 'firmware') {
      const accepted = reply.method === 'DownloadResponse' && reply.status === 0;
      if (reply.method === 'Fault' || accepted) await this.firmwareFinished(ctx.deviceId, pending.productClass, pending.revision, pending.wave, pending.hop, accepted, ctx.now);
      return state;
    }
    const plan = state.plan;
    if (!plan) return state;
    if (reply.method === 'Fault') {
      const fault: TaskFault = {
        code: reply.detail.faultCode,
        message: reply.detail.faultString || reply.faultstring,
        ...(reply.detail.setParameterValuesFault.length ? { setParameterValuesFault: reply.detail.setParameterValuesFault } : {}),
      };
      if (pending.kind === 'file' && rpc.method === 'Download') {
        // The Download task is its own fault record.
        await this.d.applied.dropPending(ctx.deviceId, rpc.commandKey);
        await this.fail(state, ctx, fault, rpc.commandKey);
        return state;
      }
      const record = await this.d.faults.recordFault(ctx.deviceId, rpc, fault, ctx.now, PROVISIONING_ACTOR);
      await this.fail(state, ctx, fault, record._id);
      return state;
    }
    let problem: string | undefined;
    const change = { deviceId: ctx.deviceId, at: ctx.now, key: plan.key, profiles: state.profiles ?? [] };
    if (pending.kind === 'list' && reply.method === 'GetParameterNamesResponse') afterList(plan, pending.table, reply.parameterList.map((p) => p.name));
    else if (pending.kind === 'add' && reply.method === 'AddObjectResponse') {
      problem = afterAdd(plan, pending.table, pending.instance, reply.instanceNumber);
      await this.d.history.record({ ...change, kind: 'object', changes: objectChanges(pending.table, reply.instanceNumber) });
    } else if (pending.kind === 'get' && reply.method === 'GetParameterValuesResponse') afterGet(plan, pending.paths, reply.parameterList);
    else if (pending.kind === 'set' && reply.method === 'SetParameterValuesResponse') {
      await this.d.history.record({ ...change, kind: 'set', changes: setChanges(pending.params) });
      afterSet(plan, pending.params);
    } else if (pending.kind === 'file' && reply.method === 'DownloadResponse' && reply.status === 0) {
      if (rpc.method === 'Download') await this.fileFinished(ctx.deviceId, rpc.commandKey, { status: 'done', result: reply }, ctx.now);
    }
    if (problem) {
      const record = await this.d.faults.recordFault(ctx.deviceId, rpc, { code: 'object_numbering', message: problem }, ctx.now, PROVISIONING_ACTOR);
      await this.fail(state, ctx, { code: 'object_numbering', message: problem }, record._id);
    }
    return state;
  }

  /** The device refused the plan's revision: recorded, and the plan goes on with firmware. */
  private async fail(state: PlanState, ctx: ReconcileContext, fault: Pick<TaskFault, 'code' | 'message'>, taskId: string | undefined): Promise<void> {
    await this.refused(ctx.deviceId, failureOf(state.plan?.key ?? state.key ?? '', fault, ctx.now, taskId));
    state.plan = undefined;
    state.phase = 'firmware';
  }

  // ------------------------------------------------------------------ firmware

  private async firmwareStep(state: PlanState, ctx: ReconcileContext): Promise<TaskDoc | undefined> {
    if (!state.firmware) return undefined;
    const policy = this.d.snapshot.policy(state.productClass);
    const step = firmwareStep(policy, state.softwareVersion, state.firmwareState, ctx.now);
    if (!policy || !step) return undefined;
    const wave = 'wave' in step ? step.wave : await this.d.rollouts.admit(policy._id, policy.revision, ctx.now);
    if (wave === undefined) return undefined;
    let task: TaskDoc;
    try {
      if (step.fileId === undefined) throw new DownloadFlowError(404, `the policy names no file for ${step.hop}`);
      task = await this.d.downloads.firmware(ctx.deviceId, step.fileId, this.queueOptions(ctx));
    } catch (err) {
      // The file was deleted, or the device already reports the load: nothing to send.
      this.d.log.warn({ event: 'provisioning.firmware_not_queued', deviceId: ctx.deviceId, hop: step.hop, err: (err as Error).message }, 'firmware Download not queued');
      await this.firmwareFinished(ctx.deviceId, policy._id, policy.revision, wave, step.hop, false, ctx.now);
      return undefined;
    }
    const fw: DeviceFirmwareState = { rollout: step.rollout, wave, hop: step.hop, ...(state.softwareVersion ? { from: state.softwareVersion } : {}), status: 'pending', taskId: task._id, at: ctx.now };
    await this.d.devices.update(ctx.deviceId, { firmware: fw });
    provisioningMetrics.firmware.inc({ result: 'queued' });
    state.pending = { kind: 'firmware', rollout: step.rollout, productClass: policy._id, revision: policy.revision, wave, hop: step.hop };
    return task;
  }

  /** A firmware install ended: the device's state, its wave's counters, history. */
  private async firmwareFinished(deviceId: string, productClass: string, revision: number, wave: number, hop: string, ok: boolean, now: Date): Promise<void> {
    const fw = (await this.d.devices.get(deviceId))?.provision?.firmware;
    if (!fw || fw.rollout !== rolloutId(productClass, revision) || fw.hop !== hop || fw.status !== 'pending') return;
    if (!(await this.d.devices.settleFirmware(deviceId, fw.taskId, ok ? 'done' : 'fault', now))) return;
    provisioningMetrics.firmware.inc({ result: ok ? 'done' : 'fault' });
    if (ok) await this.d.history.record({ deviceId, at: now, kind: 'firmware', profiles: [], changes: firmwareChanges(fw.from, hop), ...(fw.taskId ? { taskId: fw.taskId } : {}) });
    if (countsInWave(ok, hop, revision, this.d.snapshot.policy(productClass))) await this.d.rollouts.recordResult(productClass, revision, wave, ok, now);
  }

  // ------------------------------------------------------------------ transfers reported later

  async settled(task: TaskDoc, outcome: FinalOutcome, ctx: ReconcileContext): Promise<void> {
    if (task.createdBy !== PROVISIONING_ACTOR || task.rpc.method !== 'Download') return;
    if (task.rpc.fileType === FILE_TYPE.configuration) return this.fileFinished(task.deviceId, task._id, outcome, ctx.now);
    if (task.rpc.fileType !== FILE_TYPE.firmware) return;
    const fw = (await this.d.devices.get(task.deviceId))?.provision?.firmware;
    if (!fw || fw.taskId !== task._id) return;
    const [productClass, revision] = splitRollout(fw.rollout);
    await this.firmwareFinished(task.deviceId, productClass, revision, fw.wave, fw.hop, outcome.status === 'done', ctx.now);
  }

  private async fileFinished(deviceId: string, taskId: string, outcome: FinalOutcome, now: Date): Promise<void> {
    if (outcome.status !== 'done') {
      const pending = (await this.d.applied.get(deviceId))?.pending;
      if (pending?.taskId !== taskId) return;
      await this.d.applied.dropPending(deviceId, taskId);
      await this.refused(deviceId, failureOf(pending.key, outcome.fault, now, taskId));
      return;
    }
    const delivered = await this.d.applied.delivered(deviceId, taskId);
    if (!delivered) return;
    await this.d.history.record({ deviceId, at: now, kind: 'file', key: delivered.now.key, profiles: [], changes: fileChanges(delivered.before, delivered.now), taskId });
    await this.applied(deviceId, delivered.now.key);
  }

  // ------------------------------------------------------------------ outcomes

  /** The device has the revision in full. */
  private async applied(deviceId: string, key: string): Promise<void> {
    await this.d.devices.update(deviceId, { applied: key }, ['failed', 'pending']);
    provisioningMetrics.outcomes.inc({ outcome: 'applied' });
  }

  /** The device refused the revision: not tried again until the key changes (ProvisionState.failed). */
  private async refused(deviceId: string, failed: ProvisionFailure): Promise<void> {
    await this.d.devices.update(deviceId, { failed }, ['pending']);
    this.d.log.info({ event: 'provisioning.refused', deviceId, key: failed.key, code: failed.code }, 'device refused its desired state');
    provisioningMetrics.outcomes.inc({ outcome: 'refused' });
  }

  // ------------------------------------------------------------------ helpers

  private queueOptions(ctx: ReconcileContext): QueueOptions {
    return { createdBy: PROVISIONING_ACTOR, expiresAt: new Date(ctx.now.getTime() + TASK_LIFETIME_MS), now: ctx.now };
  }

  private async mapper(productClass: string): Promise<Tr069Mapper> {
    return (await this.mappers.fetch(productClass))!;
  }

  private async modelPaths(productClass: string, softwareVersion: string | undefined): Promise<ReadonlySet<string> | undefined> {
    return softwareVersion ? (await this.models.fetch(`${productClass}\n${softwareVersion}`))!.paths : undefined;
  }
}
