import { age, bytes, dateTime, isFinal, onlineState, parseEdited, taskOutcome } from '../../../src/console/app/lib/format';

const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('console formatting', () => {
  it('says how long ago something happened', () => {
    expect(age(undefined, NOW)).toBe('never');
    expect(age('garbage', NOW)).toBe('unknown');
    expect(age('2026-12-01T11:59:59.500Z', NOW)).toBe('just now');
    expect(age('2026-12-01T11:59:30Z', NOW)).toBe('30 s ago');
    expect(age('2026-12-01T11:57:00Z', NOW)).toBe('3 min ago');
    expect(age('2026-12-01T09:00:00Z', NOW)).toBe('3 h ago');
    expect(age('2026-11-28T12:00:00Z', NOW)).toBe('3 d ago');
    expect(age('2026-12-01T12:05:00Z', NOW)).toBe('in the future');
  });

  it('formats times in UTC and sizes in binary units', () => {
    expect(dateTime('2026-12-01T11:57:03.123Z')).toBe('2026-12-01 11:57:03 UTC');
    expect(dateTime(undefined)).toBe('—');
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(50 * 1024 * 1024)).toBe('50 MiB');
  });

  it('calls a device online when it informed within ten minutes', () => {
    expect(onlineState(undefined, NOW)).toBe('never seen');
    expect(onlineState('2026-12-01T11:55:00Z', NOW)).toBe('online');
    expect(onlineState('2026-12-01T11:40:00Z', NOW)).toBe('offline');
  });

  it('says how a task ended', () => {
    expect(taskOutcome({ status: 'done', rpc: { method: 'Reboot' } })).toBe('done');
    expect(taskOutcome({ status: 'fault', rpc: { method: 'SetParameterValues' }, fault: { code: 9007, message: 'Invalid parameter value' } })).toBe('fault 9007: Invalid parameter value');
    expect(taskOutcome({ status: 'fault', rpc: { method: 'X' }, fault: { code: 9002, message: 'x' }, faultCleared: true })).toBe('fault 9002: x (cleared)');
    expect(taskOutcome({ status: 'pending', rpc: { method: 'Reboot' }, connectionRequest: { status: 'auth_refused' } })).toBe('waiting for a session (wake: auth refused)');
    expect(taskOutcome({ status: 'pending', rpc: { method: 'Reboot' }, connectionRequest: { status: 'woke' } })).toBe('waiting for a session');
    expect(isFinal('sent')).toBe(false);
    expect(isFinal('expired')).toBe(true);
  });

  it('parses an edited value by the parameter type, refusing what does not fit', () => {
    expect(parseEdited('TRUE', 'xsd:boolean')).toBe(true);
    expect(parseEdited('0', 'xsd:boolean')).toBe(false);
    expect(parseEdited('yes', 'xsd:boolean')).toEqual({ error: 'expected true or false' });
    expect(parseEdited(' 42 ', 'xsd:unsignedInt')).toBe(42);
    expect(parseEdited('-1', 'xsd:unsignedInt')).toEqual({ error: 'expected a number of 0 or more' });
    expect(parseEdited('-1', 'xsd:int')).toBe(-1);
    expect(parseEdited('4.5', 'xsd:int')).toEqual({ error: 'expected a whole number' });
    expect(parseEdited('<b>x</b>', 'xsd:string')).toBe('<b>x</b>');
    expect(parseEdited(' keep spaces ', undefined)).toBe(' keep spaces ');
  });
});
