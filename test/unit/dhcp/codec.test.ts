import {
  DhcpDecodeError,
  cwmpBlock,
  decodeDhcpv6Option16,
  decodeDhcpv6Option17,
  decodeOption125,
  decodeOption43,
  decodeSubOptions,
  encodeCwmpDhcpv6Option16,
  encodeCwmpDhcpv6Option17,
  encodeCwmpOption125,
  encodeCwmpOption60,
  encodeOption43,
  encodeSubOptions,
  isCwmpVendorClass,
  readCwmpSubOptions,
  toHex,
  V4_LAYOUT,
  V6_LAYOUT,
  type AcsDiscovery,
} from '../../../src/dhcp';

const hex = (text: string) => Buffer.from(text.replace(/[\s:]/g, ''), 'hex');

// "http://acs:7547/" is 16 bytes: 68 74 74 70 3a 2f 2f 61 63 73 3a 37 35 34 37 2f
const URL_BYTES = '68 74 74 70 3a 2f 2f 61 63 73 3a 37 35 34 37 2f';
const FULL: AcsDiscovery = {
  acsUrl: 'http://acs:7547/',
  provisioningCode: 'TLCO',
  retryMinimumWaitInterval: 10,
  retryIntervalMultiplier: 2000,
};
// 01 10 <url> | 02 04 "TLCO" | 03 02 "10" | 04 04 "2000"  = 18 + 6 + 4 + 6 = 34 bytes
const FULL_SUB_OPTIONS_V4 = `01 10 ${URL_BYTES} 02 04 54 4c 43 4f 03 02 31 30 04 04 32 30 30 30`;

describe('DHCPv4 option 43', () => {
  it('encodes the ACS URL alone as sub-option 1', () => {
    expect(encodeOption43({ acsUrl: 'http://acs:7547/' })).toEqual(hex(`01 10 ${URL_BYTES}`));
  });

  it('encodes all four CWMP sub-options in code order, numbers as decimal text', () => {
    expect(encodeOption43(FULL)).toEqual(hex(FULL_SUB_OPTIONS_V4));
  });

  it('decodes what it encodes', () => {
    expect(decodeOption43(encodeOption43(FULL))).toEqual({ ...FULL, unknown: [] });
  });

  it('decodes the option 43 dnsmasq really sent: reversed order and an end marker', () => {
    const sent = hex(
      '040432303030030231300209434953434f2d4d5050011a687474703a2f2f3139322e302e322e313a373534372f63776d70ff',
    );
    expect(decodeOption43(sent)).toEqual({
      acsUrl: 'http://192.0.2.1:7547/cwmp',
      provisioningCode: 'CISCO-MPP',
      retryMinimumWaitInterval: 10,
      retryIntervalMultiplier: 2000,
      unknown: [],
    });
  });

  it('skips pad bytes, stops at the end marker and keeps unknown codes', () => {
    const decoded = decodeOption43(hex('00 01 03 61 62 63 00 07 01 41 ff 02 01 42'));
    expect(decoded.acsUrl).toBe('abc');
    expect(decoded.provisioningCode).toBeUndefined();
    expect(decoded.unknown).toEqual([{ code: 7, value: Buffer.from('A') }]);
  });

  it('refuses a sub-option longer than the data left', () => {
    expect(() => decodeOption43(hex('01 05 61 62'))).toThrow(
      new DhcpDecodeError('sub-option 1 at byte 0 claims 5 bytes but only 2 remain'),
    );
  });

  it('refuses a truncated header', () => {
    expect(() => decodeSubOptions(hex('01 01 41 02'), V4_LAYOUT)).toThrow(/truncated sub-option header at byte 3/);
  });

  it('refuses retry values that are not decimal text', () => {
    expect(() => decodeOption43(hex('03 02 31 41'))).toThrow(/CWMP sub-option 3: "1A" is not decimal text/);
  });
});

describe('DHCPv4 option 125 (RFC 3925)', () => {
  it('puts the CWMP sub-options under enterprise 3561 with a one-byte data length', () => {
    expect(encodeCwmpOption125(FULL)).toEqual(hex(`00 00 0d e9 22 ${FULL_SUB_OPTIONS_V4}`));
  });

  it('decodes several enterprises and finds the CWMP one', () => {
    const data = hex(`00 00 11 8b 03 01 01 41   00 00 0d e9 22 ${FULL_SUB_OPTIONS_V4}`);
    const blocks = decodeOption125(data);
    expect(blocks.map((b) => b.enterprise)).toEqual([4491, 3561]);
    expect(blocks[0].subOptions).toEqual([{ code: 1, value: Buffer.from('A') }]);
    expect(readCwmpSubOptions(cwmpBlock(blocks)!.subOptions)).toEqual({ ...FULL, unknown: [] });
  });

  it('refuses an enterprise block longer than the option', () => {
    expect(() => decodeOption125(hex('00 00 0d e9 05 01 01 41'))).toThrow(/enterprise 3561 claims 5 bytes but only 3 remain/);
    expect(() => decodeOption125(hex('00 00 0d'))).toThrow(/truncated enterprise header at byte 0/);
  });
});

describe('DHCPv6 options 16 and 17', () => {
  it('encodes option 16 as enterprise 3561, a two-byte length and "dslforum.org"', () => {
    expect(encodeCwmpDhcpv6Option16()).toEqual(hex('00000de9 000c 64736c666f72756d2e6f7267'));
    expect(decodeDhcpv6Option16(encodeCwmpDhcpv6Option16())).toEqual({ enterprise: 3561, classes: ['dslforum.org'] });
  });

  it('encodes option 17 with two-byte codes and lengths', () => {
    expect(encodeCwmpDhcpv6Option17(FULL)).toEqual(
      hex(
        `00 00 0d e9  00 01 00 10 ${URL_BYTES}  00 02 00 04 54 4c 43 4f  00 03 00 02 31 30  00 04 00 04 32 30 30 30`,
      ),
    );
  });

  it('decodes option 17 back to the CWMP values', () => {
    const block = decodeDhcpv6Option17(encodeCwmpDhcpv6Option17(FULL));
    expect(block.enterprise).toBe(3561);
    expect(readCwmpSubOptions(block.subOptions)).toEqual({ ...FULL, unknown: [] });
  });

  it('does not treat 0 and 255 as pad and end in DHCPv6', () => {
    expect(decodeSubOptions(hex('00 00 00 01 41 00 ff 00 00'), V6_LAYOUT)).toEqual([
      { code: 0, value: Buffer.from('A') },
      { code: 255, value: Buffer.alloc(0) },
    ]);
  });

  it('refuses truncated options', () => {
    expect(() => decodeDhcpv6Option17(hex('00 00 0d'))).toThrow(/too short for an enterprise number/);
    expect(() => decodeDhcpv6Option17(hex('00 00 0d e9 00 01 00 05 41'))).toThrow(/claims 5 bytes but only 1 remain/);
    expect(() => decodeDhcpv6Option16(hex('00 00 0d e9 00 0c 64'))).toThrow(/claims 12 bytes but only 1 remain/);
  });
});

describe('vendor class', () => {
  it('is "dslforum.org" in option 60', () => {
    expect(toHex(encodeCwmpOption60())).toBe('64:73:6c:66:6f:72:75:6d:2e:6f:72:67');
  });

  it('matches the class embedded in a longer option 60, and nothing else', () => {
    expect(isCwmpVendorClass('dslforum.org')).toBe(true);
    expect(isCwmpVendorClass('eRouter1.0 dslforum.org')).toBe(true);
    expect(isCwmpVendorClass('MSFT 5.0')).toBe(false);
    expect(isCwmpVendorClass('dslforum')).toBe(false);
  });
});

describe('sub-option lists', () => {
  it('refuses values longer than the length field holds', () => {
    expect(() => encodeSubOptions([{ code: 1, value: Buffer.alloc(256) }], V4_LAYOUT)).toThrow(
      'sub-option 1 is 256 bytes; its length field holds at most 255',
    );
    expect(encodeSubOptions([{ code: 1, value: Buffer.alloc(256) }], V6_LAYOUT)).toHaveLength(260);
  });

  it('refuses the DHCPv4 pad and end codes', () => {
    expect(() => encodeSubOptions([{ code: 0, value: Buffer.alloc(1) }], V4_LAYOUT)).toThrow(/code 0/);
    expect(() => encodeSubOptions([{ code: 255, value: Buffer.alloc(1) }], V4_LAYOUT)).toThrow(/code 255/);
  });
});
