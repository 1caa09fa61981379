import {
  decodeDhcpv6Option17,
  decodeOption125,
  encodeTr111Dhcpv6Option17,
  encodeTr111Option125,
  readTr111Identity,
} from '../../../src/dhcp';

const hex = (text: string) => Buffer.from(text.replace(/[\s:]/g, ''), 'hex');

const DEVICE = { deviceManufacturerOUI: '00CAFE', deviceSerialNumber: 'SN1', deviceProductClass: 'CP-8851' };

describe('TR-111 identity in option 125 and DHCPv6 option 17', () => {
  it('encodes a device identity as option 125 sub-options 1-3 of enterprise 3561', () => {
    // 01 06 "00CAFE" | 02 03 "SN1" | 03 07 "CP-8851" = 8 + 5 + 9 = 22 bytes
    expect(encodeTr111Option125(DEVICE)).toEqual(
      hex('00 00 0d e9 16  01 06 30 30 43 41 46 45  02 03 53 4e 31  03 07 43 50 2d 38 38 35 31'),
    );
  });

  it('encodes a device identity as DHCPv6 sub-options 11-13', () => {
    expect(encodeTr111Dhcpv6Option17(DEVICE)).toEqual(
      hex('00 00 0d e9  00 0b 00 06 30 30 43 41 46 45  00 0c 00 03 53 4e 31  00 0d 00 07 43 50 2d 38 38 35 31'),
    );
  });

  it('reads device and gateway identities back', () => {
    const both = { ...DEVICE, gatewayManufacturerOUI: 'A1B2C3', gatewaySerialNumber: 'GW9', gatewayProductClass: 'IGD' };
    expect(readTr111Identity(decodeOption125(encodeTr111Option125(both))[0], 'v4')).toEqual(both);
    expect(readTr111Identity(decodeDhcpv6Option17(encodeTr111Dhcpv6Option17(both)), 'v6')).toEqual(both);
  });

  it('reads only enterprise 3561 and only the identity codes', () => {
    expect(readTr111Identity({ enterprise: 4491, subOptions: [{ code: 1, value: Buffer.from('X') }] }, 'v4')).toEqual({});
    const block = { enterprise: 3561, subOptions: [{ code: 9, value: Buffer.from('X') }, { code: 2, value: Buffer.from('S') }] };
    expect(readTr111Identity(block, 'v4')).toEqual({ deviceSerialNumber: 'S' });
    expect(readTr111Identity(block, 'v6')).toEqual({});
  });
});
