import { normaliseMac } from './mac-directory';
import type { DeviceDoc } from './types';

/** What a search key says about the device: shown to nobody, kept to explain a match. */
export type SearchKind = 'id' | 'serial' | 'mac' | 'ip' | 'tag' | 'productClass' | 'softwareVersion' | 'line';

/**
 * Parameters whose values name a phone's lines: Cisco's own names (`User_ID_1_`,
 * `Display_Name_1_`, under whatever prefix the data model puts them) and TR-104's SIP user
 * and directory number. Their values become search keys when a GetParameterValues reads them.
 */
export const LINE_PARAMETER = /(?:^|\.)(?:User_ID_\d+_|Display_Name_\d+_|AuthUserName|DirectoryNumber)$/;

const MAX_VALUE = 128;
/** separates the value from the device id in an entry's `_id`; never part of a value */
export const SEPARATOR = '\u0001';

/**
 * How values and queries are compared: trimmed, lower-case, without control characters, `!`
 * or `"`, and with each run of white space as one U+00A0. FerretDB's `_id` range pushdown
 * compares the JSON text of the strings, closing quote included, so a character sorting below
 * `"` after the typed prefix (a space: "reception desk" against "reception") would fall
 * outside the range; none is left.
 */
export function searchText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f!"]/g, '').trim().toLowerCase().replace(/\s+/g, '\u00a0').slice(0, MAX_VALUE);
}

/** The device's search keys, `value → kind`, from its document and its lines' parameter values. */
export function searchKeysOf(device: Pick<DeviceDoc, '_id' | 'deviceId' | 'softwareVersion' | 'connectionRequestUrl' | 'remoteAddress' | 'mac' | 'tags'>, lineValues: Iterable<string>): Map<string, SearchKind> {
  const keys = new Map<string, SearchKind>();
  const add = (value: string | undefined, kind: SearchKind) => {
    const text = value === undefined ? '' : searchText(value);
    if (text && !keys.has(text)) keys.set(text, kind);
  };
  add(device._id, 'id');
  add(device.deviceId?.serialNumber, 'serial');
  add(device.mac, 'mac');
  add(device.deviceId?.productClass, 'productClass');
  add(device.softwareVersion, 'softwareVersion');
  add(device.remoteAddress, 'ip');
  add(hostOf(device.connectionRequestUrl), 'ip');
  for (const tag of device.tags ?? []) add(tag, 'tag');
  for (const v of lineValues) add(v, 'line');
  return keys;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/**
 * What to look up for the text typed in the search box: the text itself, and for anything
 * that reads as (part of) a MAC address in another notation, its bare hex digits
 * (`00:0E:08:AA` → `000e08aa`), since MACs are indexed that way.
 */
export function searchTerms(query: string): string[] {
  const text = searchText(query);
  if (!text) return [];
  const terms = new Set([text]);
  const full = normaliseMac(text);
  if (full) terms.add(full);
  else if (/^[0-9a-f]{1,2}(?:[:.-][0-9a-f]{1,4})+[:.-]?$/.test(text)) terms.add(text.replace(/[:.-]/g, ''));
  return [...terms];
}
