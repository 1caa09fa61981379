import { decide, requestFor } from '../../../src/tasks/decide';
import { outcomeOfFault, outcomeOfResponse, outcomeOfTransfer } from '../../../src/tasks/outcome';
import type { TaskDoc } from '../../../src/tasks/types';

const now = new Date('2026-05-01T00:00:00Z');
const base: TaskDoc = {
  _id: 'a'.repeat(24),
  deviceId: 'd',
  rpc: { method: 'Reboot', commandKey: '' },
  status: 'pending',
  createdAt: now,
  updatedAt: now,
  attempts: 0,
};

describe('decide', () => {
  it.each<[string, Partial<TaskDoc> | null, string]>([
    ['a missing task', null, 'drop'],
    ['a pending task', {}, 'send'],
    ['a done task', { status: 'done' }, 'drop'],
    ['a cancelled task', { status: 'cancelled' }, 'drop'],
    ['a task of a dead session', { status: 'sent', sessionId: 'old' }, 'send'],
    ['a task this session holds', { status: 'sent', sessionId: 's' }, 'skip'],
    ['an accepted transfer', { status: 'sent', awaiting: 'TransferComplete' }, 'skip'],
    ['an expired pending task', { expiresAt: new Date(now.getTime() - 1) }, 'expire'],
    ['a pending task not yet expired', { expiresAt: new Date(now.getTime() + 1) }, 'send'],
  ])('%s → %s', (_name, patch, expected) => {
    expect(decide(patch ? { ...base, ...patch } : null, 's', now)).toBe(expected);
  });
});

describe('requestFor', () => {
  it('gives keyless transfers and reboots the task id as CommandKey', () => {
    expect(requestFor({ method: 'Reboot', commandKey: '' }, 't1')).toEqual({ method: 'Reboot', commandKey: 't1' });
    expect(requestFor({ method: 'Reboot', commandKey: 'mine' }, 't1')).toEqual({ method: 'Reboot', commandKey: 'mine' });
    expect(requestFor({ method: 'CancelTransfer', commandKey: '' }, 't1')).toEqual({ method: 'CancelTransfer', commandKey: '' });
  });
});

describe('outcomes', () => {
  it('a Download answered with Status 1 awaits its TransferComplete', () => {
    expect(outcomeOfResponse({ method: 'DownloadResponse', status: 1, startTime: '', completeTime: '' }).status).toBe('awaiting');
    expect(outcomeOfResponse({ method: 'DownloadResponse', status: 0, startTime: '', completeTime: '' }).status).toBe('done');
    expect(outcomeOfResponse({ method: 'RebootResponse' }).status).toBe('done');
  });

  it('a fault keeps the device code and per-parameter faults', () => {
    const o = outcomeOfFault({
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      detail: { faultCode: 9003, faultString: 'Invalid arguments', setParameterValuesFault: [{ parameterName: 'Device.X', faultCode: 9007, faultString: 'bad' }] },
    });
    expect(o).toEqual({ status: 'fault', fault: { code: 9003, message: 'Invalid arguments', setParameterValuesFault: [{ parameterName: 'Device.X', faultCode: 9007, faultString: 'bad' }] } });
  });

  const tc = { method: 'TransferComplete' as const, commandKey: 'k', startTime: 's', completeTime: 'c' };
  const ok = { ...tc, faultStruct: { faultCode: 0, faultString: '' } };

  it('a TransferComplete with a fault code fails the task', () => {
    expect(outcomeOfTransfer(ok, undefined, undefined)).toEqual({ status: 'done', result: { method: 'TransferComplete', startTime: 's', completeTime: 'c' } });
    expect(outcomeOfTransfer({ ...tc, faultStruct: { faultCode: 9010, faultString: 'download failed' } }, undefined, 'v1')).toEqual({ status: 'fault', fault: { code: 9010, message: 'download failed' } });
  });

  it('a firmware transfer succeeds only when the device reports the expected version', () => {
    expect(outcomeOfTransfer(ok, { softwareVersion: 'sip88xx.12-0-2MPP' }, 'sip88xx.12-0-2MPP').status).toBe('done');
    expect(outcomeOfTransfer(ok, { softwareVersion: 'sip88xx.12-0-2MPP' }, 'sip88xx.12-0-1MPP')).toEqual({
      status: 'fault',
      fault: { code: 'version_mismatch', message: 'device reports software version "sip88xx.12-0-1MPP", expected "sip88xx.12-0-2MPP"' },
    });
    expect(outcomeOfTransfer(ok, { softwareVersion: 'x' }, undefined).status).toBe('fault');
  });
});
