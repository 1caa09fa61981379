/** Display formatting shared by the pages. Values reported by devices are always text. */

const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1000, 's'],
];

/** "3 min ago", "2 d ago", "just now"; "never" when there is no time. */
export function age(at: string | undefined, now: number = Date.now()): string {
  if (!at) return 'never';
  const then = Date.parse(at);
  if (Number.isNaN(then)) return 'unknown';
  const ms = now - then;
  if (ms < 0) return 'in the future';
  for (const [size, unit] of UNITS) if (ms >= size) return `${Math.floor(ms / size)} ${unit} ago`;
  return 'just now';
}

export function dateTime(at: string | undefined): string {
  if (!at) return '—';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A device seen within this many milliseconds counts as online (about two inform periods). */
export const ONLINE_WINDOW_MS = 10 * 60_000;

export function onlineState(lastInformAt: string | undefined, now: number = Date.now()): 'online' | 'offline' | 'never seen' {
  if (!lastInformAt) return 'never seen';
  return now - Date.parse(lastInformAt) <= ONLINE_WINDOW_MS ? 'online' : 'offline';
}

export interface TaskLike {
  status: string;
  rpc: { method: string };
  fault?: { code: number | string; message: string };
  connectionRequest?: { status: string };
  faultCleared?: boolean;
}

/** One line saying how a task ended (or where it is). */
export function taskOutcome(task: TaskLike): string {
  switch (task.status) {
    case 'done':
      return 'done';
    case 'fault':
      return task.fault ? `fault ${task.fault.code}: ${task.fault.message}${task.faultCleared ? ' (cleared)' : ''}` : 'fault';
    case 'pending':
      return task.connectionRequest && task.connectionRequest.status !== 'woke' ? `waiting for a session (wake: ${task.connectionRequest.status.replace('_', ' ')})` : 'waiting for a session';
    case 'sent':
      return 'sent to the device';
    default:
      return task.status;
  }
}

export function isFinal(status: string): boolean {
  return status === 'done' || status === 'fault' || status === 'expired' || status === 'cancelled';
}

/** A value as it should be typed back into an edit box, and parsed back from one. */
export function parseEdited(text: string, type: string | undefined): string | number | boolean | { error: string } {
  switch (type) {
    case 'xsd:boolean':
      if (/^(true|1)$/i.test(text.trim())) return true;
      if (/^(false|0)$/i.test(text.trim())) return false;
      return { error: 'expected true or false' };
    case 'xsd:int':
    case 'xsd:long':
    case 'xsd:unsignedInt':
    case 'xsd:unsignedLong': {
      if (!/^-?\d+$/.test(text.trim())) return { error: 'expected a whole number' };
      const n = Number(text.trim());
      if (type.includes('unsigned') && n < 0) return { error: 'expected a number of 0 or more' };
      return n;
    }
    default:
      return text;
  }
}
