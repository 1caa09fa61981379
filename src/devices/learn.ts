import type { AcsRequest, CpeResponse, Inform, ParameterInfoStruct } from '../cwmp/soap/types';
import { escapeKey } from './id';
import type { InformValue, Tr111Identity } from './types';
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

export interface Learned extends DeviceUpdate {
  listing?: NamesListing;
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
}

export const BOOTSTRAP = '0 BOOTSTRAP';
export const BOOT = '1 BOOT';

export function hasEvent(inform: Inform, code: string): boolean {
  return inform.event.some((e) => e.eventCode === code);
}

/**
 * The device update for an Inform. A BOOTSTRAP means the device is new to this ACS (factory
 * reset, or a changed ACS URL): everything learned before is dropped and the tree restarts
 * from the Inform's parameters. Otherwise the tree changes only where a reported value differs
 * from what the previous Inform reported (`known`), so a periodic session writes nothing but
 * the small device document.
 */
export function learnFromInform(
  inform: Inform,
  ctx: InformContext,
  known?: Record<string, InformValue>,
): DeviceUpdate & { setOnInsert: Record<string, unknown>; skipped: string[] } {
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
  for (const e of inform.event) set[`eventTimes.${escapeKey(e.eventCode)}`] = now;
  if (hasEvent(inform, BOOT)) set.lastBootAt = now;

  const valid = inform.parameterList.filter((p) => isValidPath(p.name) && !p.name.endsWith('.'));
  const skipped = inform.parameterList.filter((p) => !valid.includes(p)).map((p) => p.name);
  const reported: Record<string, InformValue> = {};
  for (const p of valid) {
    reported[escapeKey(p.name)] = { v: p.value, t: p.type };
    const suffix = p.name.replace(/^(Device|InternetGatewayDevice)\./, '');
    const field = DENORMALISED[suffix];
    if (field) set[field] = typeof p.value === 'string' ? p.value : String(p.value);
  }
  Object.assign(set, tr111Associations(valid));
  const bootstrap = hasEvent(inform, BOOTSTRAP);
  if (bootstrap) {
    set.lastBootstrapAt = now;
    params.set.params = buildTree(valid, now);
    summary.unset.push('rpcMethods');
  } else {
    for (const p of valid) {
      const before = known?.[escapeKey(p.name)];
      if (!before || before.v !== p.value || before.t !== p.type) Object.assign(params.set, valueFields(p.name, p.value, p.type, now));
    }
  }
  if (bootstrap || !isEmpty(params) || !sameKeys(known, reported)) set.informValues = reported;
  return { summary, params, setOnInsert: { registeredAt: now, tags: [], taskQueue: [] }, skipped };
}

function sameKeys(a: Record<string, unknown> | undefined, b: Record<string, unknown>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b);
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

/** What a successful response teaches about the device. */
export function learnFromResponse(rpc: AcsRequest, response: CpeResponse, now: Date): Learned {
  const summary = emptyUpdate();
  const params = emptyUpdate();
  const set = params.set;
  switch (response.method) {
    case 'GetParameterValuesResponse':
      for (const p of response.parameterList) if (isValidPath(p.name)) Object.assign(set, valueFields(p.name, p.value, p.type, now));
      Object.assign(summary.set, tr111Associations(response.parameterList));
      break;
    case 'SetParameterValuesResponse':
      if (rpc.method === 'SetParameterValues') {
        for (const p of rpc.parameterList) Object.assign(set, valueFields(p.name, p.value, p.type, now));
        summary.set.parameterKey = rpc.parameterKey;
      }
      break;
    case 'GetParameterNamesResponse':
      if (rpc.method === 'GetParameterNames') {
        if (rpc.parameterPath === '' || rpc.parameterPath.endsWith('.')) {
          return { summary, params, listing: { path: rpc.parameterPath, nextLevel: rpc.nextLevel, names: response.parameterList } };
        }
        for (const p of response.parameterList) if (isValidPath(p.name)) set[`${fieldOf(p.name)}._w`] = p.writable;
      }
      break;
    case 'GetParameterAttributesResponse':
      for (const p of response.parameterList) {
        if (!isValidPath(p.name) || p.name.endsWith('.')) continue;
        const f = fieldOf(p.name);
        set[`${f}._n`] = p.notification;
        set[`${f}._a`] = p.accessList;
        set[`${f}._ats`] = now;
      }
      break;
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
  return { summary, params };
}
