import type { DeviceFilter } from '../devices/filter';
import type { ParamValue } from '../cwmp/soap/types';

/**
 * A job's target as stored: parameter names contain dots, which MongoDB field names may not,
 * so a filter's parameter conditions are kept as a list.
 */
export interface StoredTarget {
  deviceIds?: string[];
  tag?: string;
  filter?: Omit<DeviceFilter, 'params'> & { params?: Array<{ name: string; value: ParamValue }> };
}

export function storeTarget(target: { deviceIds?: string[]; tag?: string; filter?: DeviceFilter }): StoredTarget {
  if (!target.filter?.params) return target as StoredTarget;
  const { params, ...rest } = target.filter;
  return { ...target, filter: { ...rest, params: Object.entries(params).map(([name, value]) => ({ name, value })) } };
}

export function loadTarget(stored: StoredTarget): { deviceIds?: string[]; tag?: string; filter?: DeviceFilter } {
  if (!stored.filter?.params) return stored as { filter?: DeviceFilter };
  const { params, ...rest } = stored.filter;
  return { ...stored, filter: { ...rest, params: Object.fromEntries(params.map((p) => [p.name, p.value])) } };
}
