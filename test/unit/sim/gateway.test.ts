import { UsageError } from '../../../src/cli/errors';
import { parseSimOptions } from '../../../src/cli/commands/sim';
import { encodeOption125, encodeTr111Option125, toHex } from '../../../src/dhcp';
import { DEFAULT_OUI, deriveIdentity, productTree } from '../../../src/sim/datamodel';
import { Device } from '../../../src/sim/device';
import { factorySettings } from '../../../src/sim/factory';
import { deviceProfile } from '../../../src/sim/profile';
import { fault } from './support';

/** TR-111: a phone reports the gateway its DHCP lease named (option 125) in Device.GatewayInfo. */

const GATEWAY = { oui: '00D09E', serialNumber: 'GW-0001', productClass: 'HomeGateway' };
const INFO = ['Device.GatewayInfo.ManufacturerOUI', 'Device.GatewayInfo.ProductClass', 'Device.GatewayInfo.SerialNumber'];

function leaseOption125(g: { oui?: string; serialNumber?: string; productClass?: string }): Buffer {
  return encodeTr111Option125({ gatewayManufacturerOUI: g.oui, gatewaySerialNumber: g.serialNumber, gatewayProductClass: g.productClass });
}

function gatewayOf(hex: string) {
  return parseSimOptions({ acsUrl: 'http://127.0.0.1:7547/', dhcpOption125: hex }).fleet.gateway;
}

function usage(hex: string): string {
  try {
    gatewayOf(hex);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

function device(gateway?: typeof GATEWAY): Device {
  const profile = deviceProfile({ gateway });
  const factory = factorySettings(deriveIdentity(0, 'unit', 'FCH', DEFAULT_OUI), profile, { acsUrl: 'http://acs.invalid/', oui: DEFAULT_OUI, seed: 'unit' });
  return new Device({ tree: productTree(profile.productClass), factory, gateway: profile.gateway });
}

describe('acs sim --dhcp-option125', () => {
  it('takes the gateway identity from option 125 hex, plain or colon-separated', () => {
    const data = leaseOption125(GATEWAY);
    expect(gatewayOf(data.toString('hex'))).toEqual(GATEWAY);
    expect(gatewayOf(toHex(data))).toEqual(GATEWAY);
  });

  it('ignores the other sub-options and vendors sharing the option', () => {
    const other = encodeOption125([{ enterprise: 9, subOptions: [{ code: 4, value: Buffer.from('XXXXXX') }] }]);
    const mixed = Buffer.concat([other, leaseOption125({ oui: 'a1b2c3', serialNumber: 'S1' })]);
    expect(gatewayOf(mixed.toString('hex'))).toEqual({ oui: 'a1b2c3', serialNumber: 'S1', productClass: '' });
  });

  it('says what is wrong with bad data', () => {
    expect(usage('00000de9zz')).toMatch(/--dhcp-option125 must be hex bytes.*"00000de9zz"/);
    expect(usage('00000de')).toMatch(/must be hex bytes/);
    expect(usage('00000de905040300')).toMatch(/--dhcp-option125: .*claims/);
    expect(usage(encodeOption125([{ enterprise: 9, subOptions: [] }]).toString('hex'))).toMatch(/no block of enterprise 3561/);
    expect(usage(encodeTr111Option125({ deviceManufacturerOUI: '00562B', deviceSerialNumber: 'FCH1' }).toString('hex'))).toMatch(
      /names no gateway: .*sub-options 4 \(OUI\) and 5/,
    );
    expect(usage(leaseOption125({ ...GATEWAY, oui: '2000' }).toString('hex'))).toMatch(/gateway OUI "2000" must be 6 hex digits/);
    expect(usage(leaseOption125({ ...GATEWAY, serialNumber: 'A\nB' }).toString('hex'))).toMatch(/gateway serial number "A\\nB" must be 1 to 64 printable/);
  });
});

describe('Device.GatewayInfo of a simulated phone', () => {
  it('reports the lease gateway as a value change in the first Inform, and again after a factory reset', () => {
    const d = device(GATEWAY);
    for (let round = 0; round < 2; round++) {
      const inform = d.buildInform();
      expect(inform.event.map((e) => e.eventCode)).toEqual(['0 BOOTSTRAP', '1 BOOT', '4 VALUE CHANGE']);
      expect(inform.parameterList.filter((p) => INFO.includes(p.name)).map((p) => [p.name, p.value])).toEqual([
        [INFO[0], GATEWAY.oui],
        [INFO[1], GATEWAY.productClass],
        [INFO[2], GATEWAY.serialNumber],
      ]);
      d.informAcknowledged();
      d.endSession(true, true);
      expect(d.buildInform().parameterList.map((p) => p.name)).not.toContain(INFO[0]);
      d.factoryReset();
    }
  });

  it('stays empty and out of the Inform without a gateway', () => {
    const d = device();
    const inform = d.buildInform();
    expect(inform.event.map((e) => e.eventCode)).toEqual(['0 BOOTSTRAP', '1 BOOT']);
    expect(inform.parameterList.map((p) => p.name)).not.toContain(INFO[0]);
    expect(d.model.get(INFO[0])).toBe('');
  });

  it('keeps forced active notification', () => {
    const d = device(GATEWAY);
    fault(d.handle({ method: 'SetParameterAttributes', parameterList: [{ name: INFO[0], notificationChange: true, notification: 0, accessListChange: false, accessList: [] }] }), 9009);
    expect(d.model.attributes(INFO[0]).notification).toBe(2);
  });
});
