/**
 * Code/length/value lists, the shape shared by every DHCP option that carries sub-options:
 * 1-byte code and length inside DHCPv4 options 43 and 125, 2-byte ones inside DHCPv6 option 17.
 */

export interface SubOption {
  code: number;
  value: Buffer;
}

export interface TlvLayout {
  /** bytes of the code field */
  codeBytes: 1 | 2;
  /** bytes of the length field */
  lengthBytes: 1 | 2;
  /**
   * DHCPv4 rules (RFC 2132 §8.4): code 0 is a one-byte pad and code 255 ends the list. Some
   * servers (dnsmasq) append 255 to option 43, so a decoder must honour it.
   */
  padAndEnd: boolean;
}

export const V4_LAYOUT: TlvLayout = { codeBytes: 1, lengthBytes: 1, padAndEnd: true };
export const V6_LAYOUT: TlvLayout = { codeBytes: 2, lengthBytes: 2, padAndEnd: false };

/** Wire data that does not follow the layout it claims; names where it went wrong. */
export class DhcpDecodeError extends Error {
  override name = 'DhcpDecodeError';
}

function maxOf(bytes: 1 | 2): number {
  return bytes === 1 ? 0xff : 0xffff;
}

function writeUint(buf: Buffer, value: number, offset: number, bytes: 1 | 2): void {
  if (bytes === 1) buf.writeUInt8(value, offset);
  else buf.writeUInt16BE(value, offset);
}

function readUint(buf: Buffer, offset: number, bytes: 1 | 2): number {
  return bytes === 1 ? buf.readUInt8(offset) : buf.readUInt16BE(offset);
}

export function encodeSubOptions(options: readonly SubOption[], layout: TlvLayout): Buffer {
  const parts: Buffer[] = [];
  for (const { code, value } of options) {
    const reserved = layout.padAndEnd && (code === 0 || code === 0xff);
    if (!Number.isInteger(code) || code < 0 || code > maxOf(layout.codeBytes) || reserved) {
      throw new RangeError(`sub-option code ${code} cannot be encoded in ${layout.codeBytes} byte(s)`);
    }
    if (value.length > maxOf(layout.lengthBytes)) {
      throw new RangeError(
        `sub-option ${code} is ${value.length} bytes; its length field holds at most ${maxOf(layout.lengthBytes)}`,
      );
    }
    const head = Buffer.alloc(layout.codeBytes + layout.lengthBytes);
    writeUint(head, code, 0, layout.codeBytes);
    writeUint(head, value.length, layout.codeBytes, layout.lengthBytes);
    parts.push(head, value);
  }
  return Buffer.concat(parts);
}

export function decodeSubOptions(data: Buffer, layout: TlvLayout): SubOption[] {
  const out: SubOption[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (layout.padAndEnd) {
      const code = data[offset];
      if (code === 0) {
        offset += 1;
        continue;
      }
      if (code === 0xff) break;
    }
    const headBytes = layout.codeBytes + layout.lengthBytes;
    if (offset + headBytes > data.length) {
      throw new DhcpDecodeError(`truncated sub-option header at byte ${offset} of ${data.length}`);
    }
    const code = readUint(data, offset, layout.codeBytes);
    const length = readUint(data, offset + layout.codeBytes, layout.lengthBytes);
    const start = offset + headBytes;
    if (start + length > data.length) {
      throw new DhcpDecodeError(
        `sub-option ${code} at byte ${offset} claims ${length} bytes but only ${data.length - start} remain`,
      );
    }
    out.push({ code, value: Buffer.from(data.subarray(start, start + length)) });
    offset = start + length;
  }
  return out;
}

/** Lower-case hex bytes joined by a separator, the form DHCP server configurations take. */
export function toHex(data: Buffer, separator = ':'): string {
  return [...data].map((b) => b.toString(16).padStart(2, '0')).join(separator);
}
