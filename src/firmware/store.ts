import type { Collection, Db } from 'mongodb';
import { DeviceRepository } from '../devices/repository';
import { COLLECTIONS } from '../stores/collections';
import type { FileStore } from '../files/store';
import { checkUpgradePath } from './versions';
import { dialectFor } from '../cisco/rules';
import { admittingWave, checkWaves, judgeWave, waveSize, type PolicyProblem, type RolloutRules, type RolloutState, type WaveProgress } from './waves';
import { checkWindows } from './windows';
import { rolloutId, waveKey, type FirmwareFileRef, type FirmwarePolicyDoc, type FirmwarePolicyInput, type StoredRolloutState } from './types';

export const FIRMWARE_POLICIES_COLLECTION = COLLECTIONS.firmwarePolicies;
const PRODUCT_CLASS = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_ATTEMPTS = 5;

/** A policy refused or an action that does not fit its state; `status` is the HTTP status. */
export class FirmwarePolicyError extends Error {
  override name = 'FirmwarePolicyError';
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    message: string,
    readonly problems: PolicyProblem[] = [],
  ) {
    super(message);
  }
}

/** The stored state in the form the rollout arithmetic reads. */
export function rolloutState(s: StoredRolloutState, waves: number): RolloutState {
  return {
    status: s.status,
    wave: s.wave,
    population: s.population,
    progress: Array.from({ length: waves }, (_, i) => s.progress[waveKey(i)] ?? { admitted: 0, done: 0, fault: 0 }),
    ...(s.reason ? { reason: s.reason } : {}),
  };
}

function emptyProgress(waves: number): Record<string, WaveProgress> {
  return Object.fromEntries(Array.from({ length: waves }, (_, i) => [waveKey(i), { admitted: 0, done: 0, fault: 0 }]));
}

/**
 * Firmware policies and their rollouts. `changed` runs after every write that changes what
 * devices may do (policy, status, wave), so caches everywhere reload.
 */
export class FirmwarePolicyStore {
  readonly collection: Collection<FirmwarePolicyDoc>;
  private readonly devices: DeviceRepository;

  constructor(
    db: Db,
    private readonly files: FileStore,
    private readonly changed: () => Promise<void> = async () => undefined,
    devices?: DeviceRepository,
  ) {
    this.collection = db.collection<FirmwarePolicyDoc>(FIRMWARE_POLICIES_COLLECTION);
    this.devices = devices ?? new DeviceRepository(db);
  }

  async list(): Promise<FirmwarePolicyDoc[]> {
    return (await this.collection.find({}).toArray()).sort((a, b) => a._id.localeCompare(b._id));
  }

  async get(productClass: string): Promise<FirmwarePolicyDoc | undefined> {
    return (await this.collection.findOne({ _id: productClass })) ?? undefined;
  }

  /**
   * Sets the product class's policy and starts its rollout from the first wave. The target and
   * every stage need an uploaded firmware file of that version for the product class; the
   * population is the devices of the class not on the target now.
   */
  async put(productClass: string, input: FirmwarePolicyInput, by?: string): Promise<FirmwarePolicyDoc> {
    if (!PRODUCT_CLASS.test(productClass)) throw new FirmwarePolicyError(400, `${JSON.stringify(productClass.slice(0, 70))} is not a product class`);
    const path = { target: input.target, stages: input.stages ?? [], floor: input.floor, allowDowngrade: input.allowDowngrade ?? false };
    const rules: RolloutRules = {
      waves: input.waves ?? [{ percent: 100 }],
      faultThreshold: input.faultThreshold ?? 0.2,
      minResults: input.minResults ?? 5,
      soakSeconds: input.soakSeconds ?? 0,
    };
    const problems = [...checkUpgradePath(path, dialectFor([productClass])), ...checkWindows(input.windows ?? [], input.utcOffsetMinutes ?? 0), ...checkWaves(rules.waves)];
    if (!(rules.faultThreshold >= 0 && rules.faultThreshold <= 1)) problems.push({ field: 'faultThreshold', message: 'faultThreshold must be between 0 and 1' });
    if (!Number.isInteger(rules.minResults) || rules.minResults < 1) problems.push({ field: 'minResults', message: 'minResults must be a positive integer' });
    if (!Number.isInteger(rules.soakSeconds) || rules.soakSeconds < 0) problems.push({ field: 'soakSeconds', message: 'soakSeconds must be a non-negative integer' });
    const loads: [string, string][] = [['target', path.target], ...path.stages.map((v, i): [string, string] => [`stages.${i}`, v])];
    if (!problems.length) problems.push(...(await this.resolveFiles(productClass, loads)).problems);
    if (problems.length) throw new FirmwarePolicyError(422, `firmware policy for ${productClass} refused: ${problems[0].message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems);
    const { files } = await this.resolveFiles(productClass, loads);
    const population = await this.devices.count({ 'deviceId.productClass': productClass, softwareVersion: { $ne: path.target } });
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(productClass);
      const now = new Date();
      const doc: FirmwarePolicyDoc = {
        _id: productClass,
        revision: (current?.revision ?? 0) + 1,
        target: path.target,
        stages: path.stages,
        ...(path.floor !== undefined ? { floor: path.floor } : {}),
        allowDowngrade: path.allowDowngrade,
        windows: input.windows ?? [],
        utcOffsetMinutes: input.utcOffsetMinutes ?? 0,
        rollout: rules,
        state: { status: 'running', wave: 0, population, progress: emptyProgress(rules.waves.length), changedAt: now },
        files,
        createdAt: current?.createdAt ?? now,
        updatedAt: now,
        ...(by ? { updatedBy: by } : {}),
      };
      const stored = current
        ? (await this.collection.replaceOne({ _id: productClass, revision: current.revision }, doc)).modifiedCount === 1
        : await this.collection.insertOne(doc).then(
            () => true,
            (err: { code?: number }) => {
              if (err.code === 11000) return false;
              throw err;
            },
          );
      if (stored) {
        await this.changed();
        return doc;
      }
    }
    throw new FirmwarePolicyError(409, `the firmware policy for ${productClass} kept changing; try again`);
  }

  async remove(productClass: string): Promise<boolean> {
    const r = await this.collection.deleteOne({ _id: productClass });
    if (r.deletedCount === 1) await this.changed();
    return r.deletedCount === 1;
  }

  /** Operator actions on the current rollout. */
  async pause(productClass: string, reason = 'paused by an operator'): Promise<FirmwarePolicyDoc> {
    return this.transition(productClass, ['running'], () => ({ set: { 'state.status': 'paused', 'state.reason': reason } }));
  }

  /**
   * Resumes a paused rollout. The wave that paused starts afresh: its counters are reset, so
   * its fault rate is judged on what happens from now on (devices that faulted are not retried
   * unless `retryFailed`, which clears their fault).
   */
  async resume(productClass: string, options: { retryFailed?: boolean } = {}): Promise<FirmwarePolicyDoc> {
    const doc = await this.transition(productClass, ['paused'], (d) => ({
      set: { 'state.status': 'running', [`state.progress.${waveKey(d.state.wave)}`]: { admitted: 0, done: 0, fault: 0 } },
      unset: ['state.reason'],
    }));
    if (options.retryFailed) {
      await this.devices.updateMatching({ 'provision.firmware.rollout': rolloutId(productClass, doc.revision), 'provision.firmware.status': 'fault' } as never, { unset: ['provision.firmware'] });
    }
    return doc;
  }

  async abort(productClass: string): Promise<FirmwarePolicyDoc> {
    return this.transition(productClass, ['running', 'paused'], () => ({ set: { 'state.status': 'aborted', 'state.reason': 'aborted by an operator' } }));
  }

  /** Opens the next wave now, whatever the current one's state (the operator's call). */
  async advance(productClass: string): Promise<FirmwarePolicyDoc> {
    return this.transition(productClass, ['running', 'paused'], (doc) => {
      if (doc.state.wave + 1 >= doc.rollout.waves.length) throw new FirmwarePolicyError(409, `the rollout of ${productClass} is at its last wave`);
      return { set: { 'state.status': 'running', 'state.wave': doc.state.wave + 1 }, unset: ['state.reason'] };
    });
  }

  /**
   * Takes the device into the wave that admits devices now; the wave index, or undefined when
   * none does (paused, full, soaking, another rollout revision).
   */
  async admit(productClass: string, revision: number, now: Date): Promise<number | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.get(productClass);
      if (!doc || doc.revision !== revision) return undefined;
      const state = rolloutState(doc.state, doc.rollout.waves.length);
      const wave = admittingWave(state, doc.rollout, now);
      if (wave === undefined) return undefined;
      const size = waveSize(doc.rollout.waves, state.population, wave);
      const field = `state.progress.${waveKey(wave)}.admitted`;
      const filter: Record<string, unknown> = { _id: productClass, revision, 'state.status': 'running', 'state.wave': doc.state.wave };
      if (Number.isFinite(size)) filter[field] = { $lt: size };
      const set: Record<string, unknown> = wave !== doc.state.wave ? { 'state.wave': wave, 'state.changedAt': now } : {};
      const r = await this.collection.updateOne(filter as never, { $inc: { [field]: 1 }, ...(Object.keys(set).length ? { $set: set } : {}) } as never);
      if (r.modifiedCount !== 1) continue;
      // Others stop trying once the wave is full or moved on.
      if (wave !== doc.state.wave || state.progress[wave].admitted + 1 >= size) await this.changed();
      return wave;
    }
    return undefined;
  }

  /**
   * Counts a device's result in its wave, then pauses the rollout when the wave's fault rate is
   * over the threshold, or marks the wave finished (the next opens after the soak time).
   */
  async recordResult(productClass: string, revision: number, wave: number, ok: boolean, now: Date): Promise<void> {
    const base = `state.progress.${waveKey(wave)}`;
    const r = await this.collection.updateOne({ _id: productClass, revision } as never, { $inc: { [`${base}.${ok ? 'done' : 'fault'}`]: 1 } } as never);
    if (r.modifiedCount !== 1) return;
    const doc = await this.get(productClass);
    if (!doc || doc.revision !== revision) return;
    const state = rolloutState(doc.state, doc.rollout.waves.length);
    const verdict = judgeWave(state.progress[wave], waveSize(doc.rollout.waves, state.population, wave), doc.rollout);
    if (verdict === 'pause') {
      const p = state.progress[wave];
      const reason = `wave ${wave + 1}: ${p.fault} of ${p.done + p.fault} upgrades failed, above the threshold of ${Math.round(doc.rollout.faultThreshold * 100)} %`;
      const paused = await this.collection.updateOne(
        { _id: productClass, revision, 'state.status': 'running' } as never,
        { $set: { 'state.status': 'paused', 'state.reason': reason, 'state.changedAt': now } } as never,
      );
      if (paused.modifiedCount === 1) await this.changed();
    } else if (verdict === 'finished') {
      const finished = await this.collection.updateOne({ _id: productClass, revision, [`${base}.finishedAt`]: { $exists: false } } as never, { $set: { [`${base}.finishedAt`]: now } } as never);
      if (finished.modifiedCount === 1) await this.changed();
    }
  }

  /**
   * A status change, as field updates (so counters incremented meanwhile are kept), guarded by
   * the revision and the last change time.
   */
  private async transition(
    productClass: string,
    from: StoredRolloutState['status'][],
    change: (doc: FirmwarePolicyDoc) => { set: Record<string, unknown>; unset?: string[] },
  ): Promise<FirmwarePolicyDoc> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.get(productClass);
      if (!doc) throw new FirmwarePolicyError(404, `no firmware policy for ${productClass}`);
      if (!from.includes(doc.state.status)) throw new FirmwarePolicyError(409, `the rollout of ${productClass} is ${doc.state.status}`);
      const { set, unset = [] } = change(doc);
      const update: Record<string, unknown> = { $set: { ...set, 'state.changedAt': new Date() } };
      if (unset.length) update.$unset = Object.fromEntries(unset.map((f) => [f, '']));
      const r = await this.collection.updateOne({ _id: productClass, revision: doc.revision, 'state.changedAt': doc.state.changedAt } as never, update as never);
      if (r.modifiedCount === 1) {
        await this.changed();
        return (await this.get(productClass)) ?? doc;
      }
    }
    throw new FirmwarePolicyError(409, `the rollout of ${productClass} kept changing; try again`);
  }

  /** The newest firmware file of each version (`[field, version]`) for the product class. */
  private async resolveFiles(productClass: string, versions: [string, string][]): Promise<{ files: FirmwareFileRef[]; problems: PolicyProblem[] }> {
    const all = await this.files.list({ kind: 'firmware' });
    const files: FirmwareFileRef[] = [];
    const problems: PolicyProblem[] = [];
    for (const [field, version] of versions) {
      const file = all
        .filter((f) => f.version === version && (!f.productClasses.length || f.productClasses.includes(productClass)))
        .sort((a, b) => b.uploadedAt.getTime() - a.uploadedAt.getTime())[0];
      if (file) files.push({ version, fileId: file.id, filename: file.filename, size: file.size });
      else problems.push({ field, message: `no firmware file of version ${version} for ${productClass} has been uploaded` });
    }
    return { files, problems };
  }
}
