import { type SubOption, V4_LAYOUT, encodeSubOptions, decodeSubOptions, DhcpDecodeError } from './tlv';
import {
  encodeOption125,
  encodeDhcpv6Option16,
  encodeDhcpv6Option17,
  type VendorBlock,
} from './vendor';

/**
 * TR-069 ACS discovery over DHCP (TR-069 §3.1; sub-option encodings in tr069.md §3.2): the ACS
 * URL and its companions as sub-options of DHCPv4 option 43 or 125 (enterprise 3561) and of
 * DHCPv6 option 17, sent to clients whose vendor class contains "dslforum.org".
 */

/** IANA enterprise number of the Broadband Forum (formerly DSL Forum). */
export const BBF_ENTERPRISE = 3561;
/** Vendor class a CWMP device sends in DHCPv4 option 60 / 124 and DHCPv6 option 16. */
export const CWMP_VENDOR_CLASS = 'dslforum.org';

export const CWMP_SUB_OPTION = {
  acsUrl: 1,
  provisioningCode: 2,
  retryMinimumWaitInterval: 3,
  retryIntervalMultiplier: 4,
} as const;

export interface AcsDiscovery {
  acsUrl: string;
  provisioningCode?: string;
  /** ManagementServer.CWMPRetryMinimumWaitInterval, seconds, 1–65535 */
  retryMinimumWaitInterval?: number;
  /** ManagementServer.CWMPRetryIntervalMultiplier, thousandths, 1000–65535 */
  retryIntervalMultiplier?: number;
}

export type AcsDiscoveryField = keyof AcsDiscovery;

/** A value that cannot go into the DHCP options; `field` says which one. */
export class DhcpOptionError extends Error {
  override name = 'DhcpOptionError';
  constructor(
    readonly field: AcsDiscoveryField,
    message: string,
  ) {
    super(message);
  }
}

const MAX_SUB_OPTION = 255;
const MAX_V4_OPTION = 255;
const MAX_PROVISIONING_CODE = 64;
const RETRY_RANGES = {
  retryMinimumWaitInterval: { min: 1, max: 65535, label: 'retry minimum wait interval' },
  retryIntervalMultiplier: { min: 1000, max: 65535, label: 'retry interval multiplier' },
} as const;

/**
 * Printable ASCII without the characters DHCP server configurations give a meaning to inside a
 * value: `"` and `\` (ISC and Kea string quoting) and `,` (list separator of dnsmasq and Kea).
 */
const SAFE_TEXT = /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]*$/;
const SAFE_TEXT_WITH_SPACE = /^[\x20\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]*$/;

export interface AcsDiscoveryInput {
  acsUrl?: string;
  provisioningCode?: string;
  retryMinimumWaitInterval?: string;
  retryIntervalMultiplier?: string;
}

/** Checks text input (the CLI's) and turns it into the values the encoders take. */
export function parseAcsDiscovery(input: AcsDiscoveryInput): AcsDiscovery {
  if (input.acsUrl === undefined || input.acsUrl === '') {
    throw new DhcpOptionError('acsUrl', 'an ACS URL is required');
  }
  const discovery: AcsDiscovery = { acsUrl: checkAcsUrl(input.acsUrl) };
  if (input.provisioningCode !== undefined) discovery.provisioningCode = checkProvisioningCode(input.provisioningCode);
  for (const field of ['retryMinimumWaitInterval', 'retryIntervalMultiplier'] as const) {
    const text = input[field];
    if (text !== undefined) discovery[field] = parseRetryValue(field, text);
  }
  checkV4Fit(discovery);
  return discovery;
}

function checkAcsUrl(text: string): string {
  const shown = JSON.stringify(text);
  if (!SAFE_TEXT.test(text)) {
    throw new DhcpOptionError(
      'acsUrl',
      `ACS URL ${shown} contains a space, a control or non-ASCII character, a quote, a backslash or a comma; ` +
        'DHCP options carry ASCII and server configurations cannot hold those characters unescaped',
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DhcpOptionError('acsUrl', `ACS URL ${shown} is not a valid absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DhcpOptionError('acsUrl', `ACS URL ${shown} must use http or https, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.hostname === '') throw new DhcpOptionError('acsUrl', `ACS URL ${shown} has no host`);
  if (url.username !== '' || url.password !== '') {
    throw new DhcpOptionError(
      'acsUrl',
      `ACS URL ${shown} contains credentials; DHCP sends it in clear to every client, so give devices ` +
        'their credentials another way (ACS_CWMP_USERNAME / ACS_CWMP_PASSWORD)',
    );
  }
  if (text.length > MAX_SUB_OPTION) {
    throw new DhcpOptionError('acsUrl', `ACS URL is ${text.length} bytes; a DHCP sub-option holds at most ${MAX_SUB_OPTION}`);
  }
  return text;
}

function checkProvisioningCode(text: string): string {
  if (!SAFE_TEXT_WITH_SPACE.test(text)) {
    throw new DhcpOptionError(
      'provisioningCode',
      `provisioning code ${JSON.stringify(text)} must be printable ASCII without quotes, backslashes or commas`,
    );
  }
  if (text.length > MAX_PROVISIONING_CODE) {
    throw new DhcpOptionError(
      'provisioningCode',
      `provisioning code ${JSON.stringify(text)} is ${text.length} characters; DeviceInfo.ProvisioningCode holds at most ${MAX_PROVISIONING_CODE}`,
    );
  }
  return text;
}

function parseRetryValue(field: keyof typeof RETRY_RANGES, text: string): number {
  const { min, max, label } = RETRY_RANGES[field];
  const value = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new DhcpOptionError(field, `${label} ${JSON.stringify(text)} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * A DHCPv4 option is at most 255 bytes. RFC 3396 allows splitting longer ones, but CPEs seldom
 * reassemble them, so everything must fit one option 43 and one option 125.
 */
function checkV4Fit(discovery: AcsDiscovery): void {
  const subOptionBytes = cwmpSubOptions(discovery).reduce((sum, s) => sum + 2 + s.value.length, 0);
  // option 125 adds the enterprise number (4 bytes) and its data length (1 byte)
  const sizes: Array<[string, number]> = [
    ['option 43', subOptionBytes],
    ['option 125', 5 + subOptionBytes],
  ];
  for (const [name, size] of sizes) {
    if (size > MAX_V4_OPTION) {
      const field: AcsDiscoveryField = discovery.provisioningCode ? 'provisioningCode' : 'acsUrl';
      throw new DhcpOptionError(
        field,
        `the ACS URL (${discovery.acsUrl.length} bytes) and the other values make ${name} ${size} bytes; ` +
          `a DHCPv4 option holds at most ${MAX_V4_OPTION}: shorten the URL or the provisioning code`,
      );
    }
  }
}

/** CWMP sub-options 1–4 in code order; numbers travel as decimal text (tr069.md §3.2). */
export function cwmpSubOptions(discovery: AcsDiscovery): SubOption[] {
  const values: Array<[number, string | number | undefined]> = [
    [CWMP_SUB_OPTION.acsUrl, discovery.acsUrl],
    [CWMP_SUB_OPTION.provisioningCode, discovery.provisioningCode],
    [CWMP_SUB_OPTION.retryMinimumWaitInterval, discovery.retryMinimumWaitInterval],
    [CWMP_SUB_OPTION.retryIntervalMultiplier, discovery.retryIntervalMultiplier],
  ];
  return values
    .filter((entry): entry is [number, string | number] => entry[1] !== undefined)
    .map(([code, value]) => ({ code, value: Buffer.from(String(value), 'latin1') }));
}

/** Data of DHCPv4 option 43 (Vendor-Specific Information) for a CWMP client. */
export function encodeOption43(discovery: AcsDiscovery): Buffer {
  return encodeSubOptions(cwmpSubOptions(discovery), V4_LAYOUT);
}

/** Data of DHCPv4 option 125 with the CWMP sub-options under enterprise 3561. */
export function encodeCwmpOption125(discovery: AcsDiscovery): Buffer {
  return encodeOption125([{ enterprise: BBF_ENTERPRISE, subOptions: cwmpSubOptions(discovery) }]);
}

/** Data of DHCPv6 option 17 with the CWMP sub-options under enterprise 3561. */
export function encodeCwmpDhcpv6Option17(discovery: AcsDiscovery): Buffer {
  return encodeDhcpv6Option17({ enterprise: BBF_ENTERPRISE, subOptions: cwmpSubOptions(discovery) });
}

/** Data of DHCPv4 option 60 a CWMP client sends. */
export function encodeCwmpOption60(): Buffer {
  return Buffer.from(CWMP_VENDOR_CLASS, 'latin1');
}

/** Data of DHCPv6 option 16 a CWMP client sends: enterprise 3561, class "dslforum.org". */
export function encodeCwmpDhcpv6Option16(): Buffer {
  return encodeDhcpv6Option16({ enterprise: BBF_ENTERPRISE, classes: [CWMP_VENDOR_CLASS] });
}

/** Whether a DHCPv4 option 60 marks a CWMP device; the class may be embedded in longer text. */
export function isCwmpVendorClass(option60: string): boolean {
  return option60.toLowerCase().includes(CWMP_VENDOR_CLASS);
}

/** What a CPE learns from the CWMP sub-options; `unknown` keeps codes it does not define. */
export interface DecodedAcsDiscovery extends Partial<AcsDiscovery> {
  unknown: SubOption[];
}

/** Reads CWMP sub-options as a CPE would (from option 43, 125 or v6 17). */
export function readCwmpSubOptions(subOptions: readonly SubOption[]): DecodedAcsDiscovery {
  const out: DecodedAcsDiscovery = { unknown: [] };
  for (const sub of subOptions) {
    const text = sub.value.toString('latin1');
    switch (sub.code) {
      case CWMP_SUB_OPTION.acsUrl:
        out.acsUrl = text;
        break;
      case CWMP_SUB_OPTION.provisioningCode:
        out.provisioningCode = text;
        break;
      case CWMP_SUB_OPTION.retryMinimumWaitInterval:
        out.retryMinimumWaitInterval = decimal(sub.code, text);
        break;
      case CWMP_SUB_OPTION.retryIntervalMultiplier:
        out.retryIntervalMultiplier = decimal(sub.code, text);
        break;
      default:
        out.unknown.push(sub);
    }
  }
  return out;
}

function decimal(code: number, text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new DhcpDecodeError(`CWMP sub-option ${code}: ${JSON.stringify(text)} is not decimal text`);
  return Number(text);
}

export function decodeOption43(data: Buffer): DecodedAcsDiscovery {
  return readCwmpSubOptions(decodeSubOptions(data, V4_LAYOUT));
}

/** The CWMP block among the vendor blocks of an option 125 or v6 option 17, if any. */
export function cwmpBlock(blocks: readonly VendorBlock[]): VendorBlock | undefined {
  return blocks.find((b) => b.enterprise === BBF_ENTERPRISE);
}
