import { rolloutState } from '../../firmware/store';
import { rolloutId, type DeviceFirmwareState, type FirmwarePolicyDoc } from '../../firmware/types';
import { nextHop } from '../../firmware/versions';
import { admittingWave } from '../../firmware/waves';
import { inWindow } from '../../firmware/windows';
import type { TaskFault } from '../../tasks/types';
import type { ProvisionFailure, ProvisionState } from '../types';

/**
 * The decisions of a reconciliation, each made here once, whether on what the session read at
 * Inform (the hot path: no store read) or on what the plan read since. Pure.
 */

/** A Download the device accepted but never reported after this long is sent again. */
export const PENDING_TRANSFER_MS = 24 * 3600 * 1000;
/** At most this much of a fault's message is kept in the device document. */
const FAILURE_MESSAGE_MAX = 512;

/** The device has revision `key`: it reports it as its ParameterKey, or the ACS recorded it as applied. */
export function hasRevision(key: string, reportedKey: string | undefined, provision: ProvisionState | undefined): boolean {
  return reportedKey === key || provision?.applied === key;
}

/** A configuration file for this revision is on its way (and not so long that it must be lost). */
export function fileUnderway(provision: ProvisionState | undefined, key: string, now: Date): boolean {
  const pending = provision?.pending;
  return pending?.key === key && now.getTime() - new Date(pending.at).getTime() < PENDING_TRANSFER_MS;
}

export interface ConfigFacts {
  /** the revision key of the desired state; undefined: the device has none, as far as known */
  key: string | undefined;
  bootstrap: boolean;
  reportedKey: string | undefined;
  provision: ProvisionState | undefined;
  now: Date;
}

/**
 * The configuration part runs: at BOOTSTRAP always (the device lost its configuration), else
 * when the device lacks the revision, did not refuse it, and is not already fetching its file.
 */
export function configWanted(f: ConfigFacts): boolean {
  if (f.bootstrap) return true;
  if (f.key === undefined) return false;
  return !hasRevision(f.key, f.reportedKey, f.provision) && f.provision?.failed?.key !== f.key && !fileUnderway(f.provision, f.key, f.now);
}

/** The firmware step the policy asks of the device now: the load to install, in which wave. */
export type FirmwareStep = { rollout: string; hop: string; fileId?: string } & ({ wave: number } | { admit: true });

/**
 * The policy's next hop for the device, inside a maintenance window, unless the device failed
 * in this rollout, is already installing that hop, or the rollout was aborted. A device new to
 * the rollout needs a wave that admits devices now (`admit`: the store takes it, or not).
 */
export function firmwareStep(policy: FirmwarePolicyDoc | undefined, softwareVersion: string | undefined, fw: DeviceFirmwareState | undefined, now: Date): FirmwareStep | undefined {
  if (!policy) return undefined;
  const hop = nextHop(softwareVersion, policy);
  if (!('install' in hop)) return undefined;
  if (!inWindow(policy.windows, policy.utcOffsetMinutes, now)) return undefined;
  if (policy.state.status === 'aborted') return undefined;
  const rollout = rolloutId(policy._id, policy.revision);
  const fileId = policy.files.find((f) => f.version === hop.install)?.fileId;
  const step = { rollout, hop: hop.install, ...(fileId !== undefined ? { fileId } : {}) };
  if (fw?.rollout === rollout) {
    if (fw.status === 'fault') return undefined;
    if (fw.status === 'pending' && fw.hop === hop.install && now.getTime() - new Date(fw.at).getTime() < PENDING_TRANSFER_MS) return undefined;
    return { ...step, wave: fw.wave };
  }
  return admittingWave(rolloutState(policy.state, policy.rollout.waves.length), policy.rollout, now) === undefined ? undefined : { ...step, admit: true };
}

/** A device counts in its wave once: when it reaches the target, or when a step fails. */
export function countsInWave(ok: boolean, hop: string, revision: number, policy: FirmwarePolicyDoc | undefined): boolean {
  return !ok || policy === undefined || policy.revision !== revision || hop === policy.target;
}

/** `<productClass>@<revision>` back into its parts. */
export function splitRollout(id: string): [string, number] {
  const at = id.lastIndexOf('@');
  return [id.slice(0, at), Number(id.slice(at + 1))];
}

/** The record of a refused revision, as the device document keeps it. */
export function failureOf(key: string, fault: Pick<TaskFault, 'code' | 'message'>, now: Date, taskId: string | undefined): ProvisionFailure {
  return { key, at: now, code: fault.code, message: fault.message.slice(0, FAILURE_MESSAGE_MAX), ...(taskId ? { taskId } : {}) };
}
