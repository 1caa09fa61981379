import type { SubOption } from './tlv';
import { BBF_ENTERPRISE } from './cwmp';
import { encodeOption125, encodeDhcpv6Option17, type VendorBlock } from './vendor';

/**
 * TR-111 Part 1 gateway association: a LAN device puts its identity into DHCPv4 option 125
 * (sub-options 1–3) or DHCPv6 option 17 (11–13) under enterprise 3561; the gateway answers
 * with its own identity (4–6, v6 14–16). The gateway then reports the device as a
 * ManageableDevice, and the device reports Device.GatewayInfo.
 */

export interface Tr111Identity {
  deviceManufacturerOUI?: string;
  deviceSerialNumber?: string;
  deviceProductClass?: string;
  gatewayManufacturerOUI?: string;
  gatewaySerialNumber?: string;
  gatewayProductClass?: string;
}

type IdentityField = keyof Tr111Identity;

const FIELDS: readonly IdentityField[] = [
  'deviceManufacturerOUI',
  'deviceSerialNumber',
  'deviceProductClass',
  'gatewayManufacturerOUI',
  'gatewaySerialNumber',
  'gatewayProductClass',
];

/**
 * v4 codes are 1–6 in FIELDS order. The v6 device codes 11–13 follow public lab tooling; the
 * gateway codes 14–16 are inferred by symmetry and unconfirmed (tr069.md §3.2).
 */
const FIRST_CODE = { v4: 1, v6: 11 } as const;

export type IpFamily = keyof typeof FIRST_CODE;

export function tr111SubOptions(identity: Tr111Identity, family: IpFamily): SubOption[] {
  return FIELDS.flatMap((field, i) => {
    const value = identity[field];
    return value === undefined ? [] : [{ code: FIRST_CODE[family] + i, value: Buffer.from(value, 'latin1') }];
  });
}

/** Identity values of a vendor block (enterprise 3561); other codes are ignored. */
export function readTr111Identity(block: VendorBlock, family: IpFamily): Tr111Identity {
  const identity: Tr111Identity = {};
  if (block.enterprise !== BBF_ENTERPRISE) return identity;
  for (const { code, value } of block.subOptions) {
    const field = FIELDS[code - FIRST_CODE[family]];
    if (field !== undefined) identity[field] = value.toString('latin1');
  }
  return identity;
}

/** Option 125 data a device (or gateway) sends with its TR-111 identity. */
export function encodeTr111Option125(identity: Tr111Identity): Buffer {
  return encodeOption125([{ enterprise: BBF_ENTERPRISE, subOptions: tr111SubOptions(identity, 'v4') }]);
}

/** DHCPv6 option 17 data with a TR-111 identity. */
export function encodeTr111Dhcpv6Option17(identity: Tr111Identity): Buffer {
  return encodeDhcpv6Option17({ enterprise: BBF_ENTERPRISE, subOptions: tr111SubOptions(identity, 'v6') });
}
