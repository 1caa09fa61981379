import type { DeviceIdStruct } from '../cwmp/soap/types';
import type { ParameterLimits } from './learn';

/**
 * Bounds on what a device may make the ACS store (ACS_CWMP_MAX_* variables). Defaults are
 * TR-069's own bounds where it has them (Annex A: SerialNumber and ProductClass string(64),
 * FaultString string(256), at most 64 EventStructs per Inform).
 */
export interface DeviceLimits extends ParameterLimits {
  maxSerialNumberLength: number;
  maxProductClassLength: number;
  /** parameters one message may report */
  maxParameters: number;
  maxFaultStringLength: number;
  /** distinct event codes whose last time is kept per device */
  maxEventCodes: number;
}

/** TR-069 A.3.3.1: the OUI is six hexadecimal digits. */
const OUI = /^[0-9A-Fa-f]{6}$/;
/** Identity fields end up in ids, URLs and logs: printable ASCII only, no control bytes. */
const PRINTABLE = /^[\x20-\x7E]*$/;
/** TR-069 A.3.3.1: an Inform carries at most 64 events, each code a string(64). */
export const MAX_EVENTS_PER_INFORM = 64;
export const MAX_EVENT_CODE_LENGTH = 64;

/**
 * Why an Inform's DeviceId cannot name a device, or undefined when it can. An empty
 * ProductClass is legal TR-069 (the device has none); OUI and SerialNumber are required.
 */
export function deviceIdProblem(id: Pick<DeviceIdStruct, 'oui' | 'productClass' | 'serialNumber'>, limits: DeviceLimits): string | undefined {
  if (!OUI.test(id.oui)) return 'DeviceId OUI must be six hexadecimal digits';
  if (!id.serialNumber) return 'DeviceId lacks a SerialNumber';
  for (const [field, value, max] of [
    ['SerialNumber', id.serialNumber, limits.maxSerialNumberLength],
    ['ProductClass', id.productClass, limits.maxProductClassLength],
  ] as const) {
    if (value.length > max) return `DeviceId ${field} is longer than ${max} characters`;
    if (!PRINTABLE.test(value)) return `DeviceId ${field} holds characters other than printable ASCII`;
  }
  return undefined;
}

/** Why an Inform's events break TR-069's bounds, or undefined. */
export function eventsProblem(events: Array<{ eventCode: string }>): string | undefined {
  if (events.length > MAX_EVENTS_PER_INFORM) return `more than ${MAX_EVENTS_PER_INFORM} events`;
  if (events.some((e) => e.eventCode.length > MAX_EVENT_CODE_LENGTH)) return `an event code longer than ${MAX_EVENT_CODE_LENGTH} characters`;
  return undefined;
}

/** A device-chosen text cut to `max` characters. */
export function bounded(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
