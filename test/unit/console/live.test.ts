import { LIVE_EVENTS, staleKeys } from '../../../src/console/app/lib/live';
import { sessionRows } from '../../../src/console/app/lib/sessions';
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
  it('reads sessions and their RPCs, tolerating missing fields', () => {
    const rows = sessionRows({
      items: [
        { id: 's1', startedAt: '2026-12-01T10:00:00Z', events: [{ eventCode: '1 BOOT' }, '4 VALUE CHANGE'], rpcs: [{ method: 'Inform' }, { method: 'Reboot', fault: { code: 9001, message: 'denied' } }] },
        { rpcs: 'nonsense' },
      ],
    });
    expect(rows[0]).toEqual({ key: 's1', startedAt: '2026-12-01T10:00:00Z', endedAt: undefined, events: ['1 BOOT', '4 VALUE CHANGE'], rpcs: [{ name: 'Inform' }, { name: 'Reboot', fault: '9001 denied' }], outcome: undefined });
    expect(rows[1]!.rpcs).toEqual([]);
    expect(sessionRows(null)).toEqual([]);
    expect(sessionRows({ items: 'x' })).toEqual([]);
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
