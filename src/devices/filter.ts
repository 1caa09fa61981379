import type { Filter } from 'mongodb';
import type { ParamValue } from '../cwmp/soap/types';
import { fieldOf } from './params';
import type { DeviceDoc, DeviceParamsDoc } from './types';

/**
 * Which devices an operator means: every condition given must hold. The shape of the API's
 * `DeviceFilter` schema; the device list's query parameters map onto it.
 */
export interface DeviceFilter {
  ids?: string[];
  productClass?: string;
  oui?: string;
  serialNumber?: string;
  softwareVersion?: string;
  /** carries every one of these tags */
  tags?: string[];
  /** ISO date-times */
  lastInformAfter?: string;
  lastInformBefore?: string;
  /** parameter name → value last reported (a string also matches the number or boolean it spells) */
  params?: Record<string, ParamValue>;
}

/**
 * Conditions MongoDB answers from an index (migrations 001/002 create them); anything else
 * reads every device document, which the API only does when asked to explicitly.
 */
const INDEXED = new Set<keyof DeviceFilter>(['ids', 'productClass', 'oui', 'serialNumber', 'softwareVersion', 'tags', 'lastInformAfter', 'lastInformBefore']);

/** Fields of the filter that no index serves, as `params.<name>`. */
export function unindexedFields(filter: DeviceFilter): string[] {
  const out: string[] = [];
  for (const key of Object.keys(filter) as Array<keyof DeviceFilter>) {
    if (INDEXED.has(key)) continue;
    if (key === 'params') out.push(...Object.keys(filter.params ?? {}).map((name) => `params.${name}`));
    else out.push(key);
  }
  return out;
}

/** The filter on the `devices` collection: every condition except those on parameters. */
export function deviceQuery(filter: DeviceFilter): Filter<DeviceDoc> {
  const q: Record<string, unknown> = {};
  if (filter.ids) q._id = filter.ids.length === 1 ? filter.ids[0] : { $in: filter.ids };
  if (filter.productClass !== undefined) q['deviceId.productClass'] = filter.productClass;
  if (filter.oui !== undefined) q['deviceId.oui'] = filter.oui;
  if (filter.serialNumber !== undefined) q['deviceId.serialNumber'] = filter.serialNumber;
  if (filter.softwareVersion !== undefined) q.softwareVersion = filter.softwareVersion;
  if (filter.tags) q.tags = filter.tags.length === 1 ? filter.tags[0] : { $all: filter.tags };
  if (filter.lastInformAfter || filter.lastInformBefore) {
    q.lastInformAt = {
      ...(filter.lastInformAfter ? { $gte: new Date(filter.lastInformAfter) } : {}),
      ...(filter.lastInformBefore ? { $lt: new Date(filter.lastInformBefore) } : {}),
    };
  }
  return q as Filter<DeviceDoc>;
}

/**
 * `query` and a condition on `_id`, kept at the top level when `query` has none: FerretDB
 * uses its `_id` index only for a top-level `_id` (a page's cursor, a batch of ids).
 */
export function andId<T>(query: Filter<T>, condition: Filter<T>['_id']): Filter<T> {
  return '_id' in query ? ({ $and: [query, { _id: condition }] } as Filter<T>) : ({ ...query, _id: condition } as Filter<T>);
}

/**
 * The filter on `device_params` for the parameter conditions, or undefined when there are
 * none. Parameter names must be valid paths (the API schema checks them).
 */
export function paramsQuery(filter: DeviceFilter): Filter<DeviceParamsDoc> | undefined {
  const entries = Object.entries(filter.params ?? {});
  if (!entries.length) return undefined;
  const q: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    const candidates = typeof value === 'string' ? spellings(value) : [value];
    q[`${fieldOf(name)}._v`] = candidates.length === 1 ? candidates[0] : { $in: candidates };
  }
  return q as Filter<DeviceParamsDoc>;
}

/** A value given as text matches what the device stored under its own type. */
function spellings(text: string): ParamValue[] {
  const out: ParamValue[] = [text];
  if (/^-?\d{1,15}$/.test(text)) out.push(Number(text));
  if (text === 'true' || text === 'false') out.push(text === 'true');
  return out;
}
