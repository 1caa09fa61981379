import { createHash } from 'node:crypto';
import type { AcsRequest, CpeResponse, Inform, ParameterInfoStruct } from '../cwmp/soap/types';
import { escapeKey } from './id';
import type { Tr111Identity } from './types';
import { buildTree, fieldOf, isValidPath, parsePath, valueFields } from './params';

/**
 * What the ACS learns about a device from the messages of a session, as MongoDB updates of
 * the device document (`summary`) and of its learned parameter tree in `device_params`
 * (`params`, fields `params.<path>...`). Pure: the repository applies the result.
 */
export interface FieldUpdate {
  set: Record<string, unknown>;
  unset: string[];
}

/** A GetParameterNames listing of a subtree; applying it needs what is known there. */
export interface NamesListing {
  path: string;
  nextLevel: boolean;
  names: ParameterInfoStruct[];
}

export interface DeviceUpdate {
  summary: FieldUpdate;
  params: FieldUpdate;
}

/** A parameter a message reported that the ACS did not store, and why. */
export interface RefusedParameter {
  name: string;
  reason: string;
}

export interface Learned extends DeviceUpdate {
  listing?: NamesListing;
  /** what the message reported but the ACS did not store */
  refused: RefusedParameter[];
}

/** Bounds on what one message may teach about a device. */
export interface ParameterLimits {
  /** longest value stored, in characters */
  maxValueLength: number;
}

/** Names longer than this are cut where they are recorded as refused. */
const REFUSED_NAME_CHARS = 300;

/**
 * Splits reported parameters into those the ACS stores and those it refuses: names that are
 * not parameter paths (`Device.DeviceInfo..`), object paths where a parameter is expected,
 * values over the length limit.
 */
export function screenParameters<P extends { name: string; value?: unknown }>(
  list: P[],
  limits: ParameterLimits,
  objects: 'refuse' | 'allow' = 'refuse',
): { valid: P[]; refused: RefusedParameter[] } {
  const valid: P[] = [];
  const refused: RefusedParameter[] = [];
  for (const p of list) {
    const reason = !isValidPath(p.name)
      ? 'invalid parameter name'
      : objects === 'refuse' && p.name.endsWith('.')
        ? 'an object path where a parameter was expected'
        : typeof p.value === 'string' && p.value.length > limits.maxValueLength
          ? `value longer than ${limits.maxValueLength} characters`
          : undefined;
    if (reason) refused.push({ name: p.name.slice(0, REFUSED_NAME_CHARS), reason });
    else valid.push(p);
  }
  return { valid, refused };
}

export function isEmpty(update: FieldUpdate): boolean {
  return !Object.keys(update.set).length && !update.unset.length;
}

const emptyUpdate = (): FieldUpdate => ({ set: {}, unset: [] });

/** Inform parameters the ACS keeps as top-level fields, for filters and connection requests. */
const DENORMALISED: Record<string, string> = {
  'DeviceInfo.SoftwareVersion': 'softwareVersion',
  'DeviceInfo.HardwareVersion': 'hardwareVersion',
  'DeviceInfo.ProvisioningCode': 'provisioningCode',
  'ManagementServer.ParameterKey': 'parameterKey',
  'ManagementServer.ConnectionRequestURL': 'connectionRequestUrl',
};

export interface InformContext {
  now: Date;
  cwmpVersion: string;
  remoteAddress?: string;
  limits: ParameterLimits & { maxEventCodes: number };
}

/** What the device document remembers from earlier Informs (see DeviceSessionView). */
export interface InformMemory {
  informDigest?: string;
  eventTimes?: Record<string, unknown>;
}

export const BOOTSTRAP = '0 BOOTSTRAP';
export const BOOT = '1 BOOT';

export function hasEvent(inform: Inform, code: string): boolean {
  return inform.event.some((e) => e.eventCode === code);
}

/**
 * The device update for an Inform. A BOOTSTRAP means the device is new to this ACS (factory
 * reset, or a changed ACS URL): everything learned before is dropped and the tree restarts
 * from the Inform's parameters. Otherwise the tree is written only when the reported values
 * differ from those of the previous Inform, which the device document remembers as one digest
 * (`informDigest`): a periodic session writes nothing but the small device document, and the
 * document every session reads stays small however many parameters an Inform carries.
 */
export function learnFromInform(
  inform: Inform,
  ctx: InformContext,
  known: InformMemory = {},
): DeviceUpdate & { setOnInsert: Record<string, unknown>; refused: RefusedParameter[]; eventCodesDropped: number } {
  const { now } = ctx;
  const summary = emptyUpdate();
  const params = emptyUpdate();
  const set = summary.set;
  set.deviceId = inform.deviceId;
  set.lastInformAt = now;
  set.lastEvents = inform.event;
  set.cwmpVersion = ctx.cwmpVersion;
  set.retryCount = inform.retryCount;
  if (ctx.remoteAddress) set.remoteAddress = ctx.remoteAddress;
  const eventCodesDropped = recordEventTimes(set, inform, known.eventTimes ?? {}, ctx.limits.maxEventCodes, now);
  if (hasEvent(inform, BOOT)) set.lastBootAt = now;

  const { valid, refused } = screenParameters(inform.parameterList, ctx.limits);
  for (const p of valid) {
    const field = DENORMALISED[p.name.replace(/^(Device|InternetGatewayDevice)\./, '')];
    if (field) set[field] = typeof p.value === 'string' ? p.value : String(p.value);
  }
  Object.assign(set, tr111Associations(valid));
  const digest = informDigest(valid);
  if (hasEvent(inform, BOOTSTRAP)) {
    set.lastBootstrapAt = now;
    params.set.params = buildTree(valid, now);
    summary.unset.push('rpcMethods');
  } else if (digest !== known.informDigest) {
    for (const p of valid) Object.assign(params.set, valueFields(p.name, p.value, p.type, now));
  }
  if (digest !== known.informDigest) {
    set.informDigest = digest;
    // Documents written before the digest kept every value here.
    summary.unset.push('informValues');
  }
  return { summary, params, setOnInsert: { registeredAt: now, tags: [], taskQueue: [] }, refused, eventCodesDropped };
}

/** One digest of what an Inform reported, independent of the order of its parameters. */
export function informDigest(values: Array<{ name: string; value: unknown; type: string }>): string {
  const hash = createHash('sha256');
  const sorted = [...values].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const p of sorted) hash.update(JSON.stringify([p.name, p.type, p.value]));
  return hash.digest('base64url').slice(0, 22);
}

/**
 * Sets the last time of each reported event code. A device may invent codes (`X <OUI> ...`,
 * `M <method>`); once it has `max` distinct ones, new codes are no longer recorded. Returns
 * how many were not.
 */
function recordEventTimes(set: Record<string, unknown>, inform: Inform, known: Record<string, unknown>, max: number, now: Date): number {
  let count = Object.keys(known).length;
  let dropped = 0;
  for (const e of inform.event) {
    const key = escapeKey(e.eventCode);
    if (`eventTimes.${key}` in set) continue;
    if (!(key in known)) {
      if (count >= max) {
        dropped += 1;
        continue;
      }
      count += 1;
    }
    set[`eventTimes.${key}`] = now;
  }
  return dropped;
}

const GATEWAY_INFO = /^(?:Device|InternetGatewayDevice)\.GatewayInfo\.(ManufacturerOUI|SerialNumber|ProductClass)$/;
const MANAGEABLE = /^(?:Device|InternetGatewayDevice)\.ManagementServer\.ManageableDevice\.(\d+)\.(ManufacturerOUI|SerialNumber|ProductClass)$/;
const IDENTITY_FIELD = { ManufacturerOUI: 'oui', SerialNumber: 'serialNumber', ProductClass: 'productClass' } as const;

/**
 * The TR-111 associations among the parameters: the gateway a LAN device sits behind, and the
 * LAN devices a gateway manages. Only complete identities count; an empty GatewayInfo (no
 * gateway seen in DHCP) records nothing.
 */
export function tr111Associations(params: Array<{ name: string; value: unknown }>): { gateway?: Tr111Identity; manageableDevices?: Tr111Identity[] } {
  const gateway: Partial<Tr111Identity> = {};
  const managed = new Map<string, Partial<Tr111Identity>>();
  for (const p of params) {
    const value = String(p.value ?? '');
    const g = GATEWAY_INFO.exec(p.name);
    if (g) gateway[IDENTITY_FIELD[g[1] as keyof typeof IDENTITY_FIELD]] = value;
    const m = MANAGEABLE.exec(p.name);
    if (m) {
      const entry = managed.get(m[1]) ?? {};
      entry[IDENTITY_FIELD[m[2] as keyof typeof IDENTITY_FIELD]] = value;
      managed.set(m[1], entry);
    }
  }
  const complete = (x: Partial<Tr111Identity>): x is Tr111Identity => !!(x.oui && x.serialNumber);
  const out: { gateway?: Tr111Identity; manageableDevices?: Tr111Identity[] } = {};
  if (complete(gateway)) out.gateway = { oui: gateway.oui, serialNumber: gateway.serialNumber, productClass: gateway.productClass ?? '' };
  const devices = [...managed.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, d]) => d).filter(complete);
  if (devices.length) out.manageableDevices = devices.map((d) => ({ oui: d.oui, serialNumber: d.serialNumber, productClass: d.productClass ?? '' }));
  return out;
}

/**
 * What a successful response teaches about the device. Parameters it cannot store (see
 * screenParameters) are left out and listed in `refused`; the rest is stored.
 */
export function learnFromResponse(rpc: AcsRequest, response: CpeResponse, now: Date, limits: ParameterLimits): Learned {
  const summary = emptyUpdate();
  const params = emptyUpdate();
  const set = params.set;
  let refused: RefusedParameter[] = [];
  switch (response.method) {
    case 'GetParameterValuesResponse': {
      const screened = screenParameters(response.parameterList, limits);
      refused = screened.refused;
      for (const p of screened.valid) Object.assign(set, valueFields(p.name, p.value, p.type, now));
      Object.assign(summary.set, tr111Associations(screened.valid));
      break;
    }
    case 'SetParameterValuesResponse':
      if (rpc.method === 'SetParameterValues') {
        for (const p of rpc.parameterList) Object.assign(set, valueFields(p.name, p.value, p.type, now));
        summary.set.parameterKey = rpc.parameterKey;
      }
      break;
    case 'GetParameterNamesResponse':
      if (rpc.method === 'GetParameterNames') {
        const screened = screenParameters(response.parameterList, limits, 'allow');
        refused = screened.refused;
        if (rpc.parameterPath === '' || rpc.parameterPath.endsWith('.')) {
          return { summary, params, refused, listing: { path: rpc.parameterPath, nextLevel: rpc.nextLevel, names: screened.valid } };
        }
        for (const p of screened.valid) set[`${fieldOf(p.name)}._w`] = p.writable;
      }
      break;
    case 'GetParameterAttributesResponse': {
      const screened = screenParameters(response.parameterList, limits);
      refused = screened.refused;
      for (const p of screened.valid) {
        const f = fieldOf(p.name);
        set[`${f}._n`] = p.notification;
        set[`${f}._a`] = p.accessList;
        set[`${f}._ats`] = now;
      }
      break;
    }
    case 'SetParameterAttributesResponse':
      if (rpc.method === 'SetParameterAttributes') {
        for (const p of rpc.parameterList) {
          if (p.name.endsWith('.')) continue;
          const f = fieldOf(p.name);
          if (p.notificationChange) set[`${f}._n`] = p.notification;
          if (p.accessListChange) set[`${f}._a`] = p.accessList;
          if (p.notificationChange || p.accessListChange) set[`${f}._ats`] = now;
        }
      }
      break;
    case 'AddObjectResponse':
      if (rpc.method === 'AddObject') {
        const object = `${parsePath(rpc.objectName).segments.join('.')}.${response.instanceNumber}.`;
        set[fieldOf(object)] = { _o: true, _ts: now };
        summary.set.parameterKey = rpc.parameterKey;
      }
      break;
    case 'DeleteObjectResponse':
      if (rpc.method === 'DeleteObject') {
        params.unset.push(fieldOf(rpc.objectName));
        summary.set.parameterKey = rpc.parameterKey;
      }
      break;
    case 'GetRPCMethodsResponse':
      summary.set.rpcMethods = response.methodList;
      break;
    default:
      break;
  }
  return { summary, params, refused };
}
