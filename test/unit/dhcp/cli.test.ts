import { runCli } from '../../support/cli';

const run = (...args: string[]) => runCli('dhcp', ...args);


describe('acs dhcp', () => {
  it('prints the option values in hex with the sub-options spelled out', async () => {
    const { code, stdout } = await run('--acs-url', 'http://acs:7547/', '--provisioning-code', 'TLCO', '--format', 'hex');
    expect(code).toBe(0);
    expect(stdout).toContain('DHCPv4 option 43 (vendor-specific information; sent by the server):\n  01:10:68:74:74:70:3a:2f:2f:61:63:73:3a:37:35:34:37:2f:02:04:54:4c:43:4f\n');
    expect(stdout).toContain('DHCPv4 option 60 (vendor class identifier; sent by the device):\n  64:73:6c:66:6f:72:75:6d:2e:6f:72:67\n');
    expect(stdout).toContain('sub-option 2 (provisioning code): "TLCO"');
    expect(stdout).not.toContain('DHCPv6');
  });

  it('adds the DHCPv6 options with --ipv6', async () => {
    const { stdout } = await run('--acs-url', 'http://acs:7547/', '--format', 'hex', '--ipv6');
    expect(stdout).toContain('DHCPv6 option 16 (vendor class, enterprise 3561; sent by the device):\n  00:00:0d:e9:00:0c:64:73');
    expect(stdout).toContain('DHCPv6 option 17 (vendor-specific information, enterprise 3561; sent by the server):\n  00:00:0d:e9:00:01:00:10:68');
  });

  it('prints only the asked server format', async () => {
    const { stdout } = await run('--acs-url', 'http://acs:7547/', '--format', 'dnsmasq');
    expect(stdout.startsWith('# dnsmasq:')).toBe(true);
    expect(stdout).toContain('dhcp-option=vendor:dslforum.org,1,"http://acs:7547/"');
    expect(stdout).not.toMatch(/Dhcp4|class "cwmp-device"|DHCPv4 option/);
    const kea = await run('--acs-url', 'http://acs:7547/', '--format', 'kea', '--ipv6');
    expect(kea.stdout).toContain('"Dhcp4"');
    expect(kea.stdout).toContain('"Dhcp6"');
  });

  it('prints everything by default', async () => {
    const { stdout } = await run('--acs-url', 'http://acs:7547/');
    for (const part of ['DHCPv4 option 125', '==> ISC dhcpd (IPv4)', '==> Kea DHCPv4', '==> dnsmasq', 'class "cwmp-device"']) {
      expect(stdout).toContain(part);
    }
  });

  it.each([
    [['--acs-url', 'ftp://acs/'], '--acs-url: ACS URL "ftp://acs/" must use http or https, not ftp'],
    [[], '--acs-url: an ACS URL is required'],
    [['--acs-url', 'http://acs/', '--provisioning-code', 'X'.repeat(65)], '--provisioning-code: provisioning code'],
    [['--acs-url', 'http://acs/', '--retry-min-wait', '0'], '--retry-min-wait: retry minimum wait interval "0"'],
    [['--acs-url', 'http://acs/', '--retry-multiplier', '70000'], '--retry-multiplier: retry interval multiplier "70000"'],
    [['--acs-url', 'http://acs/', '--format', 'yaml'], '--format "yaml" is not one of all, hex, isc, kea, dnsmasq'],
  ])('refuses %j with exit 2 and names the value', async (args, message) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
