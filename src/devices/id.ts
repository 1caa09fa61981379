import type { DeviceIdStruct } from '../cwmp/soap/types';

/**
 * Device ids are `OUI-ProductClass-SerialNumber` with every byte outside [A-Za-z0-9_]
 * percent-encoded inside each part, so `-` only ever separates the parts and the id is safe
 * in URLs, Redis keys and MongoDB `_id`s. Product classes such as `CP-8851-3PCC` therefore
 * appear as `CP%2D8851%2D3PCC`.
 */
export function deviceKey(id: Pick<DeviceIdStruct, 'oui' | 'productClass' | 'serialNumber'>): string {
  return `${escapePart(id.oui)}-${escapePart(id.productClass)}-${escapePart(id.serialNumber)}`;
}

export function escapePart(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Inverse of deviceKey(); undefined when the text is not a well-formed device id. */
export function parseDeviceKey(key: string): { oui: string; productClass: string; serialNumber: string } | undefined {
  const parts = key.split('-');
  // TR-069 allows an empty ProductClass; OUI and SerialNumber are required.
  if (parts.length !== 3 || !parts.every((p, i) => (i === 1 && p === '') || /^([A-Za-z0-9_]|%[0-9A-F]{2})+$/.test(p))) return undefined;
  try {
    const [oui, productClass, serialNumber] = parts.map((p) => decodeURIComponent(p));
    return { oui, productClass, serialNumber };
  } catch {
    return undefined;
  }
}

/**
 * Longest id accepted from outside (API, signed URLs, selectors). Identity fields are printable
 * ASCII, so each character escapes to at most three: twice the TR-069 bounds (string(64)) fit
 * with room for operators who raise ACS_CWMP_MAX_* limits.
 */
export const MAX_DEVICE_KEY_LENGTH = 1024;

/** Whether text from outside is a well-formed device id (as deviceKey() writes them). */
export function isDeviceKey(text: string): boolean {
  return text.length <= MAX_DEVICE_KEY_LENGTH && parseDeviceKey(text) !== undefined;
}

/**
 * MongoDB field names may not contain `.` or start with `$`; event codes and other
 * device-chosen strings used as keys go through this.
 */
export function escapeKey(s: string): string {
  return s.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/^\$/, '%24');
}

export function unescapeKey(s: string): string {
  return s.replace(/%(25|2E|24)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
