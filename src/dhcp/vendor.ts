import {
  DhcpDecodeError,
  decodeSubOptions,
  encodeSubOptions,
  V4_LAYOUT,
  V6_LAYOUT,
  type SubOption,
} from './tlv';

/**
 * Vendor-identifying options: DHCPv4 option 125 (RFC 3925 V-I Vendor-Specific Information),
 * DHCPv6 option 17 (Vendor-specific Information) and DHCPv6 option 16 (Vendor Class), RFC 8415.
 * Each names an IANA enterprise number, so several vendors' data can share one option.
 */

export interface VendorBlock {
  enterprise: number;
  subOptions: SubOption[];
}

export interface VendorClass {
  enterprise: number;
  classes: string[];
}

function enterpriseBytes(enterprise: number): Buffer {
  if (!Number.isInteger(enterprise) || enterprise < 0 || enterprise > 0xffffffff) {
    throw new RangeError(`enterprise number ${enterprise} does not fit 4 bytes`);
  }
  const buf = Buffer.alloc(4);
  buf.writeUInt32BE(enterprise);
  return buf;
}

/** Data of DHCPv4 option 125: per enterprise, a 1-byte length then 1-byte-coded sub-options. */
export function encodeOption125(blocks: readonly VendorBlock[]): Buffer {
  return Buffer.concat(
    blocks.flatMap(({ enterprise, subOptions }) => {
      const data = encodeSubOptions(subOptions, V4_LAYOUT);
      if (data.length > 0xff) {
        throw new RangeError(`option 125 data of enterprise ${enterprise} is ${data.length} bytes; at most 255 fit`);
      }
      return [enterpriseBytes(enterprise), Buffer.from([data.length]), data];
    }),
  );
}

export function decodeOption125(data: Buffer): VendorBlock[] {
  const blocks: VendorBlock[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + 5 > data.length) {
      throw new DhcpDecodeError(`option 125: truncated enterprise header at byte ${offset} of ${data.length}`);
    }
    const enterprise = data.readUInt32BE(offset);
    const length = data[offset + 4];
    const start = offset + 5;
    if (start + length > data.length) {
      throw new DhcpDecodeError(
        `option 125: enterprise ${enterprise} claims ${length} bytes but only ${data.length - start} remain`,
      );
    }
    blocks.push({ enterprise, subOptions: decodeSubOptions(data.subarray(start, start + length), V4_LAYOUT) });
    offset = start + length;
  }
  return blocks;
}

/** Data of DHCPv6 option 17: the enterprise number, then 2-byte-coded sub-options. */
export function encodeDhcpv6Option17(block: VendorBlock): Buffer {
  return Buffer.concat([enterpriseBytes(block.enterprise), encodeSubOptions(block.subOptions, V6_LAYOUT)]);
}

export function decodeDhcpv6Option17(data: Buffer): VendorBlock {
  if (data.length < 4) throw new DhcpDecodeError(`DHCPv6 option 17: ${data.length} bytes, too short for an enterprise number`);
  return { enterprise: data.readUInt32BE(0), subOptions: decodeSubOptions(data.subarray(4), V6_LAYOUT) };
}

/** Data of DHCPv6 option 16: the enterprise number, then each class as a 2-byte length and its text. */
export function encodeDhcpv6Option16(vendorClass: VendorClass): Buffer {
  return Buffer.concat([
    enterpriseBytes(vendorClass.enterprise),
    ...vendorClass.classes.flatMap((text) => {
      const data = Buffer.from(text, 'latin1');
      if (data.length > 0xffff) throw new RangeError(`vendor class of ${data.length} bytes does not fit`);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(data.length);
      return [length, data];
    }),
  ]);
}

export function decodeDhcpv6Option16(data: Buffer): VendorClass {
  if (data.length < 4) throw new DhcpDecodeError(`DHCPv6 option 16: ${data.length} bytes, too short for an enterprise number`);
  const classes: string[] = [];
  let offset = 4;
  while (offset < data.length) {
    if (offset + 2 > data.length) throw new DhcpDecodeError(`DHCPv6 option 16: truncated length at byte ${offset}`);
    const length = data.readUInt16BE(offset);
    const start = offset + 2;
    if (start + length > data.length) {
      throw new DhcpDecodeError(`DHCPv6 option 16: class at byte ${offset} claims ${length} bytes but only ${data.length - start} remain`);
    }
    classes.push(data.toString('latin1', start, start + length));
    offset = start + length;
  }
  return { enterprise: data.readUInt32BE(0), classes };
}
