import type { DeviceFirmwareState } from '../../../../src/firmware/types';
import { configWanted, countsInWave, failureOf, fileUnderway, firmwareStep, hasRevision, PENDING_TRANSFER_MS, splitRollout, type ConfigFacts } from '../../../../src/provisioning/plan/decide';
import type { ProvisionState } from '../../../../src/provisioning/types';
import { firmwarePolicy } from '../../../support/provisioning/policy';

const now = new Date('2026-11-18T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('the configuration decision', () => {
  const base: ConfigFacts = { key: 'rK', bootstrap: false, reportedKey: undefined, provision: undefined, now };
  const cases: Array<[string, Partial<ConfigFacts>, boolean]> = [
    ['a managed device without the revision: configure', {}, true],
    ['it reports the key as its ParameterKey: up to date', { reportedKey: 'rK' }, false],
    ['the key was recorded as applied (file or nothing to send): up to date', { provision: { applied: 'rK' } }, false],
    ['another revision applied: configure', { provision: { applied: 'rOLD' }, reportedKey: 'rOLD' }, true],
    ['it refused this revision: not tried again', { provision: { failed: { key: 'rK', at: now, code: 9007, message: 'no' } } }, false],
    ['it refused an older revision: this one is tried', { provision: { failed: { key: 'rOLD', at: now, code: 9007, message: 'no' } } }, true],
    ['its file is on its way: wait for the TransferComplete', { provision: { pending: { key: 'rK', taskId: 't', at: ago(1000) } } }, false],
    ['its file was lost (pending too long): send again', { provision: { pending: { key: 'rK', taskId: 't', at: ago(PENDING_TRANSFER_MS + 1) } } }, true],
    ['a file of another revision on its way: configure', { provision: { pending: { key: 'rOLD', taskId: 't', at: ago(1000) } } }, true],
    ['BOOTSTRAP: always, even when up to date', { bootstrap: true, reportedKey: 'rK', provision: { applied: 'rK' } }, true],
    ['BOOTSTRAP of a device with no desired state known: configure (its own parameters may lack a mirror)', { bootstrap: true, key: undefined }, true],
    ['no desired state: nothing', { key: undefined }, false],
  ];
  it.each(cases)('%s', (_name, over, wanted) => {
    expect(configWanted({ ...base, ...over })).toBe(wanted);
  });

  it('has the revision by ParameterKey or by record, nothing else', () => {
    expect(hasRevision('rK', 'rK', undefined)).toBe(true);
    expect(hasRevision('rK', undefined, { applied: 'rK' })).toBe(true);
    expect(hasRevision('rK', 'rX', { applied: 'rY', failed: { key: 'rK', at: now, code: 1, message: '' } })).toBe(false);
  });

  it('a file is underway only for its own revision and for a day', () => {
    const provision: ProvisionState = { pending: { key: 'rK', taskId: 't', at: ago(PENDING_TRANSFER_MS - 1) } };
    expect(fileUnderway(provision, 'rK', now)).toBe(true);
    expect(fileUnderway(provision, 'rX', now)).toBe(false);
    expect(fileUnderway(provision, 'rK', new Date(now.getTime() + 2))).toBe(false);
  });
});

describe('the firmware decision', () => {
  const pending = (over: Partial<DeviceFirmwareState> = {}): DeviceFirmwareState => ({ rollout: 'CP-8851-3PCC@3', wave: 0, hop: '12.0.2', status: 'pending', taskId: 't1', at: ago(1000), ...over });
  const cases: Array<[string, Parameters<typeof firmwareStep>, ReturnType<typeof firmwareStep>]> = [
    ['no policy for the model', [undefined, '11.0.1', undefined, now], undefined],
    ['below target, new to the rollout, its wave admits: admit', [firmwarePolicy(), '11.0.1', undefined, now], { rollout: 'CP-8851-3PCC@3', hop: '12.0.2', fileId: 'fw-12', admit: true }],
    ['at target', [firmwarePolicy(), '12.0.2', undefined, now], undefined],
    ['version unknown', [firmwarePolicy(), undefined, undefined, now], undefined],
    ['outside its maintenance window', [firmwarePolicy({ windows: [{ start: '02:00', end: '03:00' }] }), '11.0.1', undefined, now], undefined],
    ['inside its maintenance window', [firmwarePolicy({ windows: [{ start: '11:00', end: '13:00' }] }), '11.0.1', undefined, now], { rollout: 'CP-8851-3PCC@3', hop: '12.0.2', fileId: 'fw-12', admit: true }],
    ['rollout aborted', [firmwarePolicy({ state: { ...firmwarePolicy().state, status: 'aborted' } }), '11.0.1', undefined, now], undefined],
    ['rollout paused, device new to it', [firmwarePolicy({ state: { ...firmwarePolicy().state, status: 'paused' } }), '11.0.1', undefined, now], undefined],
    ['wave full, device new to it', [firmwarePolicy({ state: { ...firmwarePolicy().state, progress: { w0: { admitted: 2, done: 0, fault: 0 } } } }), '11.0.1', undefined, now], undefined],
    ['already in the rollout: its own wave, even when full or paused', [firmwarePolicy({ state: { ...firmwarePolicy().state, status: 'paused', progress: { w0: { admitted: 2, done: 0, fault: 0 } } } }), '11.0.1', pending({ status: 'done', hop: '11.5.0' }), now], { rollout: 'CP-8851-3PCC@3', hop: '12.0.2', fileId: 'fw-12', wave: 0 }],
    ['failed in this rollout: not again', [firmwarePolicy(), '11.0.1', pending({ status: 'fault' }), now], undefined],
    ['failed in an older rollout: admitted again', [firmwarePolicy(), '11.0.1', pending({ status: 'fault', rollout: 'CP-8851-3PCC@2' }), now], { rollout: 'CP-8851-3PCC@3', hop: '12.0.2', fileId: 'fw-12', admit: true }],
    ['installing this hop: wait', [firmwarePolicy(), '11.0.1', pending(), now], undefined],
    ['installing this hop for over a day: lost, send again', [firmwarePolicy(), '11.0.1', pending({ at: ago(PENDING_TRANSFER_MS + 1) }), now], { rollout: 'CP-8851-3PCC@3', hop: '12.0.2', fileId: 'fw-12', wave: 0 }],
    ['the policy names no file for the hop: the step without one', [firmwarePolicy({ files: [] }), '11.0.1', undefined, now], { rollout: 'CP-8851-3PCC@3', hop: '12.0.2', admit: true }],
  ];
  it.each(cases)('%s', (_name, args, step) => {
    expect(firmwareStep(...args)).toEqual(step);
  });

  it('a device counts in its wave when it fails or reaches the target, not at an intermediate hop', () => {
    const policy = firmwarePolicy({ stages: ['11.5.0'] });
    expect(countsInWave(false, '11.5.0', 3, policy)).toBe(true);
    expect(countsInWave(true, '11.5.0', 3, policy)).toBe(false);
    expect(countsInWave(true, '12.0.2', 3, policy)).toBe(true);
    // The policy changed (or went) meanwhile: the old rollout's count is closed now.
    expect(countsInWave(true, '11.5.0', 2, policy)).toBe(true);
    expect(countsInWave(true, '11.5.0', 3, undefined)).toBe(true);
  });

  it('splits a rollout id at its last @ (product classes may hold one)', () => {
    expect(splitRollout('CP@X@12')).toEqual(['CP@X', 12]);
  });
});

describe('a refusal record', () => {
  it('keeps the fault, its task and at most 512 characters of the message', () => {
    const f = failureOf('rK', { code: 9007, message: 'x'.repeat(600) }, now, 't1');
    expect(f).toEqual({ key: 'rK', at: now, code: 9007, message: 'x'.repeat(512), taskId: 't1' });
    expect(failureOf('rK', { code: 'not_deliverable', message: 'gone' }, now, undefined)).toEqual({ key: 'rK', at: now, code: 'not_deliverable', message: 'gone' });
  });
});
