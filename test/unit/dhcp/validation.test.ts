import { DhcpOptionError, parseAcsDiscovery, type AcsDiscoveryInput } from '../../../src/dhcp';

function refusal(input: AcsDiscoveryInput): DhcpOptionError {
  try {
    parseAcsDiscovery(input);
  } catch (err) {
    if (err instanceof DhcpOptionError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

const url = (length: number) => `http://a/${'x'.repeat(length - 9)}`;

describe('parseAcsDiscovery', () => {
  it('turns text input into typed values', () => {
    expect(
      parseAcsDiscovery({
        acsUrl: 'https://acs.example.net:7547/cwmp?x=1',
        provisioningCode: 'TLCO.GRP2',
        retryMinimumWaitInterval: '5',
        retryIntervalMultiplier: '2000',
      }),
    ).toEqual({
      acsUrl: 'https://acs.example.net:7547/cwmp?x=1',
      provisioningCode: 'TLCO.GRP2',
      retryMinimumWaitInterval: 5,
      retryIntervalMultiplier: 2000,
    });
  });

  it.each([
    [{}, 'acsUrl', 'an ACS URL is required'],
    [{ acsUrl: 'ftp://acs.example.net/' }, 'acsUrl', 'ACS URL "ftp://acs.example.net/" must use http or https, not ftp'],
    [{ acsUrl: 'acs.example.net:7547' }, 'acsUrl', 'must use http or https, not acs.example.net'],
    [{ acsUrl: '/cwmp' }, 'acsUrl', 'ACS URL "/cwmp" is not a valid absolute URL'],
    [{ acsUrl: 'http://acs example/' }, 'acsUrl', 'contains a space'],
    [{ acsUrl: 'http://acs.exämple.net/' }, 'acsUrl', 'non-ASCII'],
    [{ acsUrl: 'http://acs/a,b' }, 'acsUrl', 'a comma'],
    [{ acsUrl: 'http://acs/"x"' }, 'acsUrl', 'a quote'],
    [{ acsUrl: 'http://acs/a\\b' }, 'acsUrl', 'a backslash'],
    [{ acsUrl: 'http://cpe:secret@acs/' }, 'acsUrl', 'contains credentials'],
    [{ acsUrl: url(256) }, 'acsUrl', 'ACS URL is 256 bytes; a DHCP sub-option holds at most 255'],
    [{ acsUrl: url(254) }, 'acsUrl', 'make option 43 256 bytes; a DHCPv4 option holds at most 255'],
    [{ acsUrl: url(249) }, 'acsUrl', 'make option 125 256 bytes'],
    [{ acsUrl: 'http://acs/', provisioningCode: 'P'.repeat(65) }, 'provisioningCode', 'is 65 characters; DeviceInfo.ProvisioningCode holds at most 64'],
    [{ acsUrl: 'http://acs/', provisioningCode: 'TLCO,GRP2' }, 'provisioningCode', 'provisioning code "TLCO,GRP2" must be printable ASCII'],
    [{ acsUrl: 'http://acs/', provisioningCode: 'Ωmega' }, 'provisioningCode', 'must be printable ASCII'],
    [{ acsUrl: url(200), provisioningCode: 'P'.repeat(60) }, 'provisioningCode', 'shorten the URL or the provisioning code'],
    [{ acsUrl: 'http://acs/', retryMinimumWaitInterval: '0' }, 'retryMinimumWaitInterval', 'retry minimum wait interval "0" must be a whole number from 1 to 65535'],
    [{ acsUrl: 'http://acs/', retryMinimumWaitInterval: '65536' }, 'retryMinimumWaitInterval', 'from 1 to 65535'],
    [{ acsUrl: 'http://acs/', retryMinimumWaitInterval: '1.5' }, 'retryMinimumWaitInterval', '"1.5" must be a whole number'],
    [{ acsUrl: 'http://acs/', retryMinimumWaitInterval: '-1' }, 'retryMinimumWaitInterval', '"-1" must be a whole number'],
    [{ acsUrl: 'http://acs/', retryMinimumWaitInterval: '' }, 'retryMinimumWaitInterval', '"" must be a whole number'],
    [{ acsUrl: 'http://acs/', retryIntervalMultiplier: '999' }, 'retryIntervalMultiplier', 'retry interval multiplier "999" must be a whole number from 1000 to 65535'],
    [{ acsUrl: 'http://acs/', retryIntervalMultiplier: '65536' }, 'retryIntervalMultiplier', 'from 1000 to 65535'],
    [{ acsUrl: 'http://acs/', retryIntervalMultiplier: '2e3' }, 'retryIntervalMultiplier', '"2e3" must be a whole number'],
  ] as Array<[AcsDiscoveryInput, string, string]>)('refuses %j', (input, field, message) => {
    const err = refusal(input);
    expect(err.field).toBe(field);
    expect(err.message).toContain(message);
  });

  it('accepts the limits of every range', () => {
    for (const [wait, multiplier] of [
      ['1', '1000'],
      ['65535', '65535'],
    ]) {
      expect(
        parseAcsDiscovery({ acsUrl: 'http://acs/', retryMinimumWaitInterval: wait, retryIntervalMultiplier: multiplier }),
      ).toMatchObject({ retryMinimumWaitInterval: Number(wait), retryIntervalMultiplier: Number(multiplier) });
    }
    expect(parseAcsDiscovery({ acsUrl: 'http://acs/', provisioningCode: 'P'.repeat(64) }).provisioningCode).toHaveLength(64);
    // 248 bytes of URL: option 43 is 250 bytes and option 125 exactly 255
    expect(parseAcsDiscovery({ acsUrl: url(248) }).acsUrl).toHaveLength(248);
  });
});
