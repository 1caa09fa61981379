import type { ParamValue, XsdType } from '../../cwmp/soap/types';

/**
 * How a data model is declared: a tree of objects, tables (multi-instance objects) and
 * parameters. A declaration is built once per product class and shared, read-only, by every
 * simulated device of that class.
 */

/** Per-device values the fleet supplies at creation ("factory settings" and identity). */
export interface FactorySettings {
  manufacturer: string;
  oui: string;
  productClass: string;
  modelName: string;
  description: string;
  serialNumber: string;
  macAddress: string;
  ipAddress: string;
  hardwareVersion: string;
  softwareVersion: string;
  acsUrl: string;
  acsUsername: string;
  acsPassword: string;
  connectionRequestUrl: string;
  connectionRequestUsername: string;
  connectionRequestPassword: string;
  periodicInformInterval: number;
  provisioningCode: string;
}

/** Values computed when read. */
export type LiveValue = 'upTime' | 'currentTime';

/**
 * TR-069 active-notification classes from the data-model definitions: `canDeny` parameters
 * (counters, uptime) may refuse notification (fault 9009); `forceDefaultEnabled` ones start
 * with active notification (2); `forceEnabled` ones must keep it.
 */
export type ActiveNotify = 'normal' | 'canDeny' | 'forceDefaultEnabled' | 'forceEnabled';

export interface ValueCheck {
  min?: number;
  max?: number;
  maxLength?: number;
  oneOf?: readonly string[];
}

export interface ParamSpec {
  kind: 'param';
  type: XsdType;
  writable: boolean;
  /** the default value, unless `factory`, `live` or `countOf` provides it */
  value: ParamValue;
  /** passwords and keys: accepted on write, read back as '' */
  hidden?: boolean;
  factory?: keyof FactorySettings;
  live?: LiveValue;
  /** a `…NumberOfEntries` parameter: the number of instances of this sibling table */
  countOf?: string;
  check?: ValueCheck;
  notify?: ActiveNotify;
  /** sent in every Inform */
  forcedInform?: boolean;
}

export interface ObjectSpec {
  kind: 'object';
  children: Readonly<Record<string, NodeSpec>>;
}

export interface TableSpec {
  kind: 'table';
  /** AddObject/DeleteObject allowed */
  writable: boolean;
  /** instances present in a factory-fresh device, numbered 1..initial */
  initial: number;
  /** AddObject beyond this many instances fails with 9004 */
  maxInstances: number;
  /** the object created for instance number n */
  instance: (n: number) => ObjectSpec;
}

export type NodeSpec = ParamSpec | ObjectSpec | TableSpec;

type ParamOptions = Omit<ParamSpec, 'kind' | 'type' | 'writable' | 'value'>;

function param(type: XsdType, writable: boolean, value: ParamValue, opts: ParamOptions = {}): ParamSpec {
  return { kind: 'param', type, writable, value, ...opts };
}

/** Declaration helpers: `rw`/`ro` for writable/read-only parameters of each type. */
export const rw = {
  string: (value = '', opts?: ParamOptions) => param('xsd:string', true, value, opts),
  uint: (value: number, opts?: ParamOptions) => param('xsd:unsignedInt', true, value, opts),
  int: (value: number, opts?: ParamOptions) => param('xsd:int', true, value, opts),
  bool: (value: boolean, opts?: ParamOptions) => param('xsd:boolean', true, value, opts),
  dateTime: (value: string, opts?: ParamOptions) => param('xsd:dateTime', true, value, opts),
  password: (opts?: ParamOptions) => param('xsd:string', true, '', { hidden: true, check: { maxLength: 256 }, ...opts }),
};
export const ro = {
  string: (value = '', opts?: ParamOptions) => param('xsd:string', false, value, opts),
  uint: (value: number, opts?: ParamOptions) => param('xsd:unsignedInt', false, value, opts),
  bool: (value: boolean, opts?: ParamOptions) => param('xsd:boolean', false, value, opts),
  dateTime: (value: string, opts?: ParamOptions) => param('xsd:dateTime', false, value, opts),
  count: (table: string) => param('xsd:unsignedInt', false, 0, { countOf: table }),
};

export function object(children: Record<string, NodeSpec>): ObjectSpec {
  return { kind: 'object', children };
}

export function table(opts: Omit<TableSpec, 'kind'>): TableSpec {
  return { kind: 'table', ...opts };
}

/** TR-106 Unknown Time. */
export const UNKNOWN_TIME = '0001-01-01T00:00:00Z';
