import { rolloutState } from '../../../src/firmware/store';
import { waveKey, type FirmwarePolicyDoc } from '../../../src/firmware/types';
import { admittingWave, waveSize } from '../../../src/firmware/waves';
import type { FirmwareRollouts } from '../../../src/provisioning/execute/ports';
import { copy } from './documents';

/**
 * The waves of firmware policies in memory, as the reconciler uses FirmwarePolicyStore: admit a
 * device into the wave that takes devices now, count its result. (Pausing on faults and
 * finishing waves are the policy store's own, tested with it.)
 */
export class MemoryRollouts implements FirmwareRollouts {
  private readonly policies = new Map<string, FirmwarePolicyDoc>();

  put(policy: FirmwarePolicyDoc): void {
    this.policies.set(policy._id, copy(policy));
  }

  policy(productClass: string): FirmwarePolicyDoc | undefined {
    const doc = this.policies.get(productClass);
    return doc && copy(doc);
  }

  async admit(productClass: string, revision: number, now: Date): Promise<number | undefined> {
    const doc = this.policies.get(productClass);
    if (!doc || doc.revision !== revision) return undefined;
    const state = rolloutState(doc.state, doc.rollout.waves.length);
    const wave = admittingWave(state, doc.rollout, now);
    if (wave === undefined) return undefined;
    const progress = (doc.state.progress[waveKey(wave)] ??= { admitted: 0, done: 0, fault: 0 });
    if (progress.admitted >= waveSize(doc.rollout.waves, state.population, wave)) return undefined;
    progress.admitted += 1;
    doc.state.wave = wave;
    return wave;
  }

  async recordResult(productClass: string, revision: number, wave: number, ok: boolean): Promise<void> {
    const doc = this.policies.get(productClass);
    if (!doc || doc.revision !== revision) return;
    const progress = (doc.state.progress[waveKey(wave)] ??= { admitted: 0, done: 0, fault: 0 });
    progress[ok ? 'done' : 'fault'] += 1;
  }
}
