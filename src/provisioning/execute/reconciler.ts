import type { Collection, Db } from 'mongodb';
import type { Tr069Mapper } from '../../cisco/mapping';
import type { ReconcileContext, ReconcileStep, ReconcileView, Reconciler } from '../../cwmp/session/reconciler';
import type { AcsRequest, CpeResponse, Fault, Inform } from '../../cwmp/soap/types';
import { BOOTSTRAP, hasEvent } from '../../devices/learn';
import type { DeviceRepository } from '../../devices/repository';
import { leaves } from '../../devices/params';
import type { DeviceParamsDoc, ParamTree } from '../../devices/types';
import type { FileStore } from '../../files/store';
import type { UrlSigner } from '../../files/signing';
import { rolloutState, type FirmwarePolicyStore } from '../../firmware/store';
import { rolloutId, type DeviceFirmwareState, type FirmwarePolicyDoc } from '../../firmware/types';
import { nextHop } from '../../firmware/versions';
import { admittingWave } from '../../firmware/waves';
import { inWindow } from '../../firmware/windows';
import type { Logger } from '../../log';
import { interimKey } from '../../profiles/revision';
import type { DeviceFacts } from '../../profiles/types';
import type { DataModelDiscovery } from '../flows/datamodel';
import { DownloadFlowError, FILE_TYPE, queueConfigDownload, queueFirmwareDownload, type DownloadFlowDeps } from '../flows/downloads';
import type { MappingOverrideStore } from '../stores/mapping-overrides';
import { expandEntries } from '../render/render';
import type { FinalOutcome } from '../../tasks/outcome';
import type { TaskRepository } from '../../tasks/repository';
import type { TaskDoc, TaskFault } from '../../tasks/types';
import type { AppliedStore } from '../stores/applied';
import { BASICS_PROJECTION, keyFor, type DeviceBasics, type EffectiveDesiredConfig, type EffectiveState } from '../desired/effective';
import type { ChangeEntry, HistoryStore } from '../stores/history';
import { provisioningMetrics } from './metrics';
import { afterAdd, afterGet, afterList, afterSet, buildConfigPlan, nextConfigAction, type ConfigAction, type ConfigPlan, type PlanParam } from '../plan/config';
import type { ProvisioningSnapshot } from '../desired/snapshot';
import { PROVISIONING_ACTOR, provisionOf, type ProvisionFailure, type ProvisionState } from '../types';

/**
 * Zero-touch provisioning in the CWMP session.
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
 * (`provision.applied`) when the file's TransferComplete reports success; a plan with nothing
 * to send records it at once. A device refusing a value gets a fault record (a task in fault)
 * and `provision.failed`: that revision is not tried again until the key changes, the device
 * bootstraps, or an operator clears the failure.
 */

export interface ReconcilerDeps {
  db: Db;
  devices: DeviceRepository;
  snapshot: ProvisioningSnapshot;
  effective: EffectiveDesiredConfig;
  tasks: TaskRepository;
  files: FileStore;
  signer: UrlSigner;
  mappings: MappingOverrideStore;
  datamodels: DataModelDiscovery;
  firmware: FirmwarePolicyStore;
  history: HistoryStore;
  applied: AppliedStore;
  log: Logger;
  /** known values older than this are read again before they are compared */
  valueMaxAgeMs: number;
  urlWindowSeconds: number;
  caFileType: string;
}

/** What a plan keeps between the requests of a session (JSON, in Redis with the session). */
interface PlanState {
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

/** A Download the device accepted but never reported after this long is sent again. */
const PENDING_TRANSFER_MS = 24 * 3600 * 1000;
const TASK_LIFETIME_MS = 24 * 3600 * 1000;
/** how long a product class's mapping and learned data model are kept in memory */
const MAPPER_CACHE_MS = 5000;

export class ProvisioningReconciler implements Reconciler {
  readonly viewFields = ['tags', 'mac', 'provision'] as const;
  private readonly devices: Collection<DeviceBasics & { hardwareVersion?: string; remoteAddress?: string }>;
  private readonly params: Collection<DeviceParamsDoc>;
  private readonly mappers = new Map<string, { mapper: Tr069Mapper; until: number }>();
  private readonly models = new Map<string, { paths: ReadonlySet<string> | undefined; until: number }>();
  private readonly flows: DownloadFlowDeps;

  constructor(private readonly d: ReconcilerDeps) {
    this.devices = d.db.collection('devices');
    this.params = d.db.collection<DeviceParamsDoc>('device_params');
    this.flows = {
      tasks: { queue: (deviceId, rpc, o) => d.tasks.queue(deviceId, rpc, { expiresAt: o.expiresAt, expect: o.expect, createdBy: o.createdBy }) },
      devices: d.devices,
      files: d.files,
      signer: d.signer,
      desired: d.effective,
      urlWindowSeconds: d.urlWindowSeconds,
      caFileType: d.caFileType,
    };
  }

  // ------------------------------------------------------------------ hot path

  begin(view: ReconcileView, inform: Inform, ctx: ReconcileContext): PlanState | undefined {
    const provision = provisionOf(view);
    const softwareVersion = reported(inform, 'DeviceInfo.SoftwareVersion');
    const facts: DeviceFacts = {
      deviceId: ctx.deviceId,
      oui: inform.deviceId.oui,
      productClass: inform.deviceId.productClass,
      serialNumber: inform.deviceId.serialNumber,
      ...(softwareVersion !== undefined ? { softwareVersion } : {}),
      ...(view.mac !== undefined ? { mac: view.mac } : {}),
      tags: view.tags ?? [],
    };
    const bootstrap = hasEvent(inform, BOOTSTRAP);
    const reportedKey = reported(inform, 'ManagementServer.ParameterKey');
    const profiles = this.d.snapshot.matchProfiles(facts);
    let config = false;
    // Under provisioning when a profile matches or the device has parameters of its own (its mirror says so).
    if (profiles.length || provision?.own !== undefined) {
      const key = keyFor(profiles, facts, provision);
      config = bootstrap || (reportedKey !== key && provision?.applied !== key && provision?.failed?.key !== key && !fileUnderway(provision, key, ctx.now));
    } else {
      // Parameters of its own written before the device first informed have no mirror yet:
      // at BOOTSTRAP (rare) load() reads the store itself (S02: 001 L301-312).
      config = bootstrap;
    }
    const firmware = this.firmwareWanted(facts, provision, ctx.now);
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
      ...(softwareVersion !== undefined ? { softwareVersion } : {}),
    };
  }

  private firmwareWanted(facts: DeviceFacts, provision: ProvisionState | undefined, now: Date): boolean {
    const policy = this.d.snapshot.policy(facts.productClass);
    if (!policy) return false;
    const hop = nextHop(facts.softwareVersion, policy);
    if (!('install' in hop)) return false;
    if (!inWindow(policy.windows, policy.utcOffsetMinutes, now)) return false;
    const fw = provision?.firmware;
    if (fw?.rollout === rolloutId(policy._id, policy.revision)) {
      if (fw.status === 'fault') return false;
      if (fw.status === 'pending' && fw.hop === hop.install && now.getTime() - new Date(fw.at).getTime() < PENDING_TRANSFER_MS) return false;
      return policy.state.status !== 'aborted';
    }
    return admittingWave(rolloutState(policy.state, policy.rollout.waves.length), policy.rollout, now) !== undefined;
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
    const device = await this.devices.findOne({ _id: ctx.deviceId }, { projection: { ...BASICS_PROJECTION, hardwareVersion: 1, remoteAddress: 1 } });
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
    if (!state.bootstrap && (state.reportedKey === key || provision.applied === key || provision.failed?.key === key || fileUnderway(provision, key, ctx.now))) return;
    const applied = await this.d.applied.get(ctx.deviceId);
    const [mapper, paramsDoc, model] = await Promise.all([
      this.mapper(effective.facts.productClass),
      this.params.findOne({ _id: ctx.deviceId }),
      this.modelPaths(effective.facts.productClass, effective.facts.softwareVersion),
    ]);
    const tree = (paramsDoc?.params ?? {}) as ParamTree;
    const confirmed = new Set(model ?? []);
    for (const [path] of leaves(tree)) confirmed.add(path);
    const entries = expandEntries(
      {
        deviceId: ctx.deviceId,
        productClass: effective.facts.productClass,
        serialNumber: effective.facts.serialNumber,
        ...(effective.facts.mac ? { mac: effective.facts.mac } : {}),
        ...(effective.facts.softwareVersion ? { softwareVersion: effective.facts.softwareVersion } : {}),
        ...(device.hardwareVersion ? { hardwareVersion: device.hardwareVersion } : {}),
        ...(device.remoteAddress ? { ip: device.remoteAddress } : {}),
      },
      effective.merged.entries,
    );
    state.plan = buildConfigPlan({
      key,
      entries,
      secret: effective.secret,
      mapper,
      confirmed,
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
    const set: Record<string, string> = {};
    const unset: Record<string, ''> = {};
    const own = effective.own?.revision;
    const vars = effective.variables?.revision;
    if (own !== provision.own) own === undefined ? (unset['provision.own'] = '') : (set['provision.own'] = own);
    if (vars !== provision.vars) vars === undefined ? (unset['provision.vars'] = '') : (set['provision.vars'] = vars);
    if (Object.keys(set).length || Object.keys(unset).length) {
      await this.devices.updateOne({ _id: deviceId }, { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) });
    }
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
          task = await queueConfigDownload(this.flows, ctx.deviceId, { createdBy: PROVISIONING_ACTOR, expiresAt: new Date(ctx.now.getTime() + TASK_LIFETIME_MS), now: ctx.now });
        } catch (err) {
          if (!(err instanceof DownloadFlowError)) throw err;
          await this.fail(state, ctx, { code: 'not_deliverable', message: err.message }, undefined);
          return undefined;
        }
        await this.d.applied.pending(ctx.deviceId, { taskId: task._id, key: plan.key, digest: plan.file!.digest, values: plan.file!.values, at: ctx.now });
        // Sessions until the transfer is reported (the one reporting it first) then need no read.
        await this.setProvision(ctx.deviceId, { pending: { key: plan.key, taskId: task._id, at: ctx.now } });
        return { state, task };
      }
      case 'done':
        state.pending = undefined;
        state.plan = undefined;
        state.phase = 'firmware';
        await this.setProvision(ctx.deviceId, { applied: plan.key }, ['failed']);
        provisioningMetrics.outcomes.inc({ outcome: 'applied' });
        return undefined;
    }
  }

  async answer(raw: unknown, rpc: AcsRequest, reply: CpeResponse | Fault, ctx: ReconcileContext): Promise<unknown> {
    const state = raw as PlanState;
    const pending = state.pending;
    state.pending = undefined;
    if (!pending) return state;
    if (pending.kind === 'firmware') {
      if (reply.method === 'Fault') await this.firmwareFinished(ctx.deviceId, pending.productClass, pending.revision, pending.wave, pending.hop, false, ctx.now);
      else if (reply.method === 'DownloadResponse' && reply.status === 0) await this.firmwareFinished(ctx.deviceId, pending.productClass, pending.revision, pending.wave, pending.hop, true, ctx.now);
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
      const record = await this.d.tasks.recordFault(ctx.deviceId, rpc, fault, ctx.now, PROVISIONING_ACTOR);
      await this.fail(state, ctx, fault, record._id);
      return state;
    }
    let problem: string | undefined;
    if (pending.kind === 'list' && reply.method === 'GetParameterNamesResponse') afterList(plan, pending.table, reply.parameterList.map((p) => p.name));
    else if (pending.kind === 'add' && reply.method === 'AddObjectResponse') {
      problem = afterAdd(plan, pending.table, pending.instance, reply.instanceNumber);
      await this.d.history.record({ deviceId: ctx.deviceId, at: ctx.now, kind: 'object', key: plan.key, profiles: state.profiles ?? [], changes: [{ name: `${pending.table}${reply.instanceNumber}.`, new: 'created' }] });
    } else if (pending.kind === 'get' && reply.method === 'GetParameterValuesResponse') afterGet(plan, pending.paths, reply.parameterList);
    else if (pending.kind === 'set' && reply.method === 'SetParameterValuesResponse') {
      await this.d.history.record({ deviceId: ctx.deviceId, at: ctx.now, kind: 'set', key: plan.key, profiles: state.profiles ?? [], changes: pending.params.map(change) });
      afterSet(plan, pending.params);
    } else if (pending.kind === 'file' && reply.method === 'DownloadResponse' && reply.status === 0) {
      if (rpc.method === 'Download') await this.fileFinished(ctx.deviceId, rpc.commandKey, { status: 'done', result: reply }, ctx.now);
    }
    if (problem) {
      const record = await this.d.tasks.recordFault(ctx.deviceId, rpc, { code: 'object_numbering', message: problem }, ctx.now, PROVISIONING_ACTOR);
      await this.fail(state, ctx, { code: 'object_numbering', message: problem }, record._id);
    }
    return state;
  }

  private async fail(state: PlanState, ctx: ReconcileContext, fault: TaskFault, taskId: string | undefined): Promise<void> {
    const key = state.plan?.key ?? state.key ?? '';
    const failed: ProvisionFailure = { key, at: ctx.now, code: fault.code, message: fault.message.slice(0, 512), ...(taskId ? { taskId } : {}) };
    await this.setProvision(ctx.deviceId, { failed }, ['pending']);
    this.d.log.info({ event: 'provisioning.refused', deviceId: ctx.deviceId, key, code: fault.code }, 'device refused its desired state');
    provisioningMetrics.outcomes.inc({ outcome: 'refused' });
    state.plan = undefined;
    state.phase = 'firmware';
  }

  // ------------------------------------------------------------------ firmware

  private async firmwareStep(state: PlanState, ctx: ReconcileContext): Promise<TaskDoc | undefined> {
    if (!state.firmware) return undefined;
    const policy = this.d.snapshot.policy(state.productClass);
    if (!policy) return undefined;
    const hop = nextHop(state.softwareVersion, policy);
    if (!('install' in hop) || !inWindow(policy.windows, policy.utcOffsetMinutes, ctx.now)) return undefined;
    const rollout = rolloutId(policy._id, policy.revision);
    const fw = state.firmwareState?.rollout === rollout ? state.firmwareState : undefined;
    if (fw?.status === 'fault' || policy.state.status === 'aborted') return undefined;
    const wave = fw ? fw.wave : await this.d.firmware.admit(policy._id, policy.revision, ctx.now);
    if (wave === undefined) return undefined;
    return this.queueFirmware(state, ctx, policy, rollout, wave, hop.install);
  }

  private async queueFirmware(state: PlanState, ctx: ReconcileContext, policy: FirmwarePolicyDoc, rollout: string, wave: number, hop: string): Promise<TaskDoc | undefined> {
    const file = policy.files.find((f) => f.version === hop);
    let task: TaskDoc;
    try {
      if (!file) throw new DownloadFlowError(404, `the policy names no file for ${hop}`);
      task = await queueFirmwareDownload(this.flows, ctx.deviceId, file.fileId, { createdBy: PROVISIONING_ACTOR, expiresAt: new Date(ctx.now.getTime() + TASK_LIFETIME_MS), now: ctx.now });
    } catch (err) {
      // The file was deleted, or the device already reports the load: nothing to send.
      this.d.log.warn({ event: 'provisioning.firmware_not_queued', deviceId: ctx.deviceId, hop, err: (err as Error).message }, 'firmware Download not queued');
      await this.firmwareFinished(ctx.deviceId, policy._id, policy.revision, wave, hop, false, ctx.now);
      return undefined;
    }
    const fw: DeviceFirmwareState = { rollout, wave, hop, ...(state.softwareVersion ? { from: state.softwareVersion } : {}), status: 'pending', taskId: task._id, at: ctx.now };
    await this.setProvision(ctx.deviceId, { firmware: fw });
    provisioningMetrics.firmware.inc({ result: 'queued' });
    state.pending = { kind: 'firmware', rollout, productClass: policy._id, revision: policy.revision, wave, hop };
    return task;
  }

  /** A firmware install ended: the device's state, its wave's counters, history. */
  private async firmwareFinished(deviceId: string, productClass: string, revision: number, wave: number, hop: string, ok: boolean, now: Date): Promise<void> {
    const rollout = rolloutId(productClass, revision);
    const device = await this.devices.findOne({ _id: deviceId }, { projection: { provision: 1 } });
    const fw = device?.provision?.firmware;
    if (!fw || fw.rollout !== rollout || fw.hop !== hop || fw.status !== 'pending') return;
    const r = await this.devices.updateOne(
      { _id: deviceId, 'provision.firmware.taskId': fw.taskId, 'provision.firmware.status': 'pending' } as never,
      { $set: { 'provision.firmware.status': ok ? 'done' : 'fault', 'provision.firmware.at': now } } as never,
    );
    if (r.modifiedCount !== 1) return;
    provisioningMetrics.firmware.inc({ result: ok ? 'done' : 'fault' });
    if (ok) await this.d.history.record({ deviceId, at: now, kind: 'firmware', profiles: [], changes: [{ name: 'SoftwareVersion', ...(fw.from ? { old: fw.from } : {}), new: hop }], ...(fw.taskId ? { taskId: fw.taskId } : {}) });
    const policy = this.d.snapshot.policy(productClass);
    // A device counts in its wave once: when it reaches the target, or when a step fails.
    if (!ok || policy === undefined || policy.revision !== revision || hop === policy.target) await this.d.firmware.recordResult(productClass, revision, wave, ok, now);
  }

  // ------------------------------------------------------------------ transfers reported later

  async settled(task: TaskDoc, outcome: FinalOutcome, ctx: ReconcileContext): Promise<void> {
    if (task.createdBy !== PROVISIONING_ACTOR || task.rpc.method !== 'Download') return;
    if (task.rpc.fileType === FILE_TYPE.configuration) return this.fileFinished(task.deviceId, task._id, outcome, ctx.now);
    if (task.rpc.fileType !== FILE_TYPE.firmware) return;
    const device = await this.devices.findOne({ _id: task.deviceId }, { projection: { provision: 1 } });
    const fw = device?.provision?.firmware;
    if (!fw || fw.taskId !== task._id) return;
    const [productClass, revision] = splitRollout(fw.rollout);
    await this.firmwareFinished(task.deviceId, productClass, revision, fw.wave, fw.hop, outcome.status === 'done', ctx.now);
  }

  private async fileFinished(deviceId: string, taskId: string, outcome: FinalOutcome, now: Date): Promise<void> {
    if (outcome.status !== 'done') {
      const pending = (await this.d.applied.get(deviceId))?.pending;
      if (pending?.taskId !== taskId) return;
      await this.d.applied.dropPending(deviceId, taskId);
      await this.setProvision(deviceId, { failed: { key: pending.key, at: now, code: outcome.fault.code, message: outcome.fault.message.slice(0, 512), taskId } }, ['pending']);
      provisioningMetrics.outcomes.inc({ outcome: 'refused' });
      return;
    }
    const delivered = await this.d.applied.delivered(deviceId, taskId);
    if (!delivered) return;
    const before = new Map(delivered.before?.values.map((v) => [v.name, v.value]) ?? []);
    const changes: ChangeEntry[] = delivered.now.values
      .filter((v) => before.get(v.name) !== v.value)
      .map(({ name, value, secret }) => (secret ? { name, secret: true } : { name, ...(before.has(name) ? { old: before.get(name) } : {}), new: value }));
    await this.d.history.record({ deviceId, at: now, kind: 'file', key: delivered.now.key, profiles: [], changes, taskId });
    await this.setProvision(deviceId, { applied: delivered.now.key }, ['failed', 'pending']);
    provisioningMetrics.outcomes.inc({ outcome: 'applied' });
  }

  // ------------------------------------------------------------------ helpers

  private async setProvision(deviceId: string, set: Partial<ProvisionState>, unset: Array<keyof ProvisionState> = []): Promise<void> {
    const update: Record<string, unknown> = { $set: Object.fromEntries(Object.entries(set).map(([k, v]) => [`provision.${k}`, v])) };
    if (unset.length) update.$unset = Object.fromEntries(unset.map((k) => [`provision.${k}`, '']));
    await this.devices.updateOne({ _id: deviceId }, update);
  }

  /** Learned data models change when an operator runs a discovery: a few seconds of staleness are fine. */
  private async modelPaths(productClass: string, softwareVersion: string | undefined): Promise<ReadonlySet<string> | undefined> {
    if (!softwareVersion) return undefined;
    const key = `${productClass}\n${softwareVersion}`;
    const hit = this.models.get(key);
    if (hit && hit.until > Date.now()) return hit.paths;
    const paths = await this.d.datamodels.paths(productClass, softwareVersion);
    this.models.set(key, { paths, until: Date.now() + MAPPER_CACHE_MS });
    return paths;
  }

  private async mapper(productClass: string): Promise<Tr069Mapper> {
    const hit = this.mappers.get(productClass);
    if (hit && hit.until > Date.now()) return hit.mapper;
    const mapper = await this.d.mappings.mapper(productClass);
    this.mappers.set(productClass, { mapper, until: Date.now() + MAPPER_CACHE_MS });
    return mapper;
  }
}

/** A configuration file for this revision is on its way (and not so long that it must be lost). */
function fileUnderway(provision: ProvisionState | undefined, key: string, now: Date): boolean {
  const pending = provision?.pending;
  return pending?.key === key && now.getTime() - new Date(pending.at).getTime() < PENDING_TRANSFER_MS;
}

function change(p: PlanParam): ChangeEntry {
  if (p.secret) return { name: p.name, path: p.path, secret: true };
  return { name: p.name, path: p.path, ...(p.known !== undefined ? { old: String(p.known) } : {}), new: String(p.value) };
}

function reported(inform: Inform, suffix: string): string | undefined {
  const p = inform.parameterList.find((x) => x.name === `Device.${suffix}` || x.name === `InternetGatewayDevice.${suffix}`);
  return p === undefined ? undefined : String(p.value);
}

function splitRollout(id: string): [string, number] {
  const at = id.lastIndexOf('@');
  return [id.slice(0, at), Number(id.slice(at + 1))];
}
