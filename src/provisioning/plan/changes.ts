import type { DeliveredFile } from '../stores/applied';
import type { ChangeEntry } from '../stores/history';
import type { PlanParam } from './config';

/** What a step changed on a device, as history records it: old and new values, a secret only as changed. Pure. */

/** A SetParameterValues the device accepted. */
export function setChanges(params: readonly PlanParam[]): ChangeEntry[] {
  return params.map((p) => (p.secret ? { name: p.name, path: p.path, secret: true } : { name: p.name, path: p.path, ...(p.known !== undefined ? { old: String(p.known) } : {}), new: String(p.value) }));
}

/** A configuration file the device applied, against the one it had before: the entries that differ. */
export function fileChanges(before: DeliveredFile | undefined, now: DeliveredFile): ChangeEntry[] {
  const old = new Map(before?.values.map((v) => [v.name, v.value]) ?? []);
  return now.values
    .filter((v) => old.get(v.name) !== v.value)
    .map(({ name, value, secret }) => (secret ? { name, secret: true } : { name, ...(old.has(name) ? { old: old.get(name) } : {}), new: value }));
}

/** An object instance AddObject created. */
export function objectChanges(table: string, instanceNumber: number): ChangeEntry[] {
  return [{ name: `${table}${instanceNumber}.`, new: 'created' }];
}

/** A firmware step the device completed. */
export function firmwareChanges(from: string | undefined, hop: string): ChangeEntry[] {
  return [{ name: 'SoftwareVersion', ...(from ? { old: from } : {}), new: hop }];
}
