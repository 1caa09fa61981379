import { LIVE_EVENTS, staleKeys } from '../../../src/console/app/lib/live';
import { sessionRow } from '../../../src/console/app/lib/sessions';
import { shownValue, sourceLabel } from '../../../src/console/app/lib/provisioning';

describe('console live updates', () => {
  it('refetches the task list when a task changes and the sessions when one starts', () => {
    expect(staleKeys('task', 'D1')).toContainEqual(['tasks', 'D1']);
    expect(staleKeys('session', 'D1')).toContainEqual(['sessions', 'D1']);
    expect(staleKeys('parameters', 'D1')).toContainEqual(['params', 'D1']);
    expect(staleKeys('device', 'D1')).toContainEqual(['device', 'D1']);
    for (const event of LIVE_EVENTS) for (const key of staleKeys(event, 'D1')) expect(key[1]).toBe('D1');
  });
});

describe('console recent sessions', () => {
  const session = { id: 7, startedAt: '2026-12-01T10:00:00.000Z', durationMs: 1234, outcome: 'completed' as const, events: ['1 BOOT', '4 VALUE CHANGE'], rpcs: [] };
  it('lists the RPCs in order with what became of each', () => {
    const row = sessionRow({
      ...session,
      rpcs: [
        { method: 'GetParameterValues', outcome: 'done' },
        { method: 'Reboot', outcome: 'fault', fault: { code: 9001, message: 'denied' } },
        { method: 'Download', outcome: 'awaiting' },
        { method: 'SetParameterValues', outcome: 'unanswered' },
      ],
    });
    expect(row).toEqual({
      key: '7',
      startedAt: '2026-12-01T10:00:00.000Z',
      outcome: 'completed in 1.2 s',
      events: ['1 BOOT', '4 VALUE CHANGE'],
      rpcs: ['GetParameterValues', 'Reboot (fault 9001 denied)', 'Download (awaiting TransferComplete)', 'SetParameterValues (unanswered)'],
    });
  });
  it('says how a session that did not complete ended', () => {
    expect(sessionRow({ ...session, outcome: 'timed_out', reason: 'the device went silent', durationMs: 30_400 }).outcome).toBe('timed out after 30 s (the device went silent)');
    expect(sessionRow({ ...session, outcome: 'error' }).outcome).toBe('failed after 1.2 s');
  });
});

describe('console provisioning view', () => {
  it('names the source of a value and never shows a secret', () => {
    expect(sourceLabel({ kind: 'profile', profile: 'lobby', revision: 3, precedence: 10 })).toBe('profile lobby r3 (precedence 10)');
    expect(sourceLabel({ kind: 'device' })).toBe('this device');
    expect(shownValue({ value: 'hunter2', secret: true })).toBe('(secret)');
    expect(shownValue({ value: 'x' })).toBe('x');
  });
});
