import { encodeCwmpOption125, parseAcsDiscovery, renderSnippets, toHex, type Snippet } from '../../../src/dhcp';

const FULL = parseAcsDiscovery({
  acsUrl: 'https://acs.example.net:7547/cwmp',
  provisioningCode: 'TLCO.GRP2',
  retryMinimumWaitInterval: '10',
  retryIntervalMultiplier: '2000',
});

function snippet(server: Snippet['server'], ipv6 = true): string {
  const found = renderSnippets(FULL, { ipv6 }).find((s) => s.server === server);
  if (!found) throw new Error(`no ${server} snippet`);
  return found.text;
}

/** Kea's configuration is JSON with comments; the snippet has one comment line on top. */
function keaJson(text: string): Record<string, any> {
  expect(text.startsWith('// ')).toBe(true);
  return JSON.parse(text.slice(text.indexOf('\n') + 1));
}

describe('renderSnippets', () => {
  it('gives the DHCPv6 snippets only when asked', () => {
    expect(renderSnippets(FULL, { ipv6: false }).map((s) => s.server)).toEqual(['isc-dhcpd', 'kea-dhcp4', 'dnsmasq']);
    expect(renderSnippets(FULL, { ipv6: true }).map((s) => s.server)).toEqual([
      'isc-dhcpd',
      'isc-dhcpd6',
      'kea-dhcp4',
      'kea-dhcp6',
      'dnsmasq',
    ]);
  });

  it('ISC dhcpd: sub-options as text in a class matched on option 60, option 125 as raw bytes', () => {
    const text = snippet('isc-dhcpd');
    expect(text).toContain('match if option vendor-class-identifier ~~ "dslforum.org";');
    expect(text).toContain('option cwmp.acs-url "https://acs.example.net:7547/cwmp";');
    expect(text).toContain('option cwmp.provisioning-code "TLCO.GRP2";');
    expect(text).toContain('option cwmp.retry-minimum-wait-interval "10";');
    expect(text).toContain('option cwmp.retry-interval-multiplier "2000";');
    expect(text).toContain(`option vivso ${toHex(encodeCwmpOption125(FULL))};`);
  });

  it('ISC dhcpd -6: a two-byte-wide space encapsulated in vsio for enterprise 3561', () => {
    const text = snippet('isc-dhcpd6');
    expect(text).toContain('option space cwmp6 code width 2 length width 2;');
    expect(text).toContain('option vsio.cwmp6 code 3561 = encapsulate cwmp6;');
    expect(text).toContain('option cwmp6.acs-url "https://acs.example.net:7547/cwmp";');
  });

  it('Kea DHCPv4: one client class sending option 43 and option 125 sub-options', () => {
    const config = keaJson(snippet('kea-dhcp4'));
    const [cwmpClass] = config.Dhcp4['client-classes'];
    expect(cwmpClass.test).toBe(
      "substring(option[60].text, 0, 12) == 'dslforum.org' or split(option[60].text, ' ', 2) == 'dslforum.org'",
    );
    const data = cwmpClass['option-data'] as Array<Record<string, unknown>>;
    const inSpace = (space: string) => data.filter((d) => d.space === space).map((d) => [d.name, d.data]);
    const expected = [
      ['cwmp-acs-url', 'https://acs.example.net:7547/cwmp'],
      ['cwmp-provisioning-code', 'TLCO.GRP2'],
      ['cwmp-retry-minimum-wait-interval', '10'],
      ['cwmp-retry-interval-multiplier', '2000'],
    ];
    expect(inSpace('vendor-encapsulated-options-space')).toEqual(expected);
    expect(inSpace('vendor-3561')).toEqual(expected);
    expect(data).toContainEqual({ name: 'vivso-suboptions', data: '3561' });
    expect(data.filter((d) => d.space === 'vendor-3561').every((d) => d['always-send'] === true)).toBe(true);
    const defs = config.Dhcp4['option-def'] as Array<Record<string, unknown>>;
    expect(defs.filter((d) => d.space === 'vendor-3561').map((d) => [d.name, d.code, d.type])).toEqual([
      ['cwmp-acs-url', 1, 'string'],
      ['cwmp-provisioning-code', 2, 'string'],
      ['cwmp-retry-minimum-wait-interval', 3, 'string'],
      ['cwmp-retry-interval-multiplier', 4, 'string'],
    ]);
  });

  it('Kea DHCPv6: vendor-opts 3561 for clients with a 3561 vendor class', () => {
    const [cwmpClass] = keaJson(snippet('kea-dhcp6')).Dhcp6['client-classes'];
    expect(cwmpClass.test).toBe('vendor-class[3561].exists');
    expect(cwmpClass['option-data'][0]).toEqual({ name: 'vendor-opts', data: '3561' });
    expect(cwmpClass['option-data'][1]).toMatchObject({ space: 'vendor-3561', data: 'https://acs.example.net:7547/cwmp' });
  });

  it('dnsmasq: vendor-class options for 43, tagged vi-encap for 125 and, with IPv6, for option 17', () => {
    const lines = snippet('dnsmasq').split('\n');
    expect(lines).toContain('dhcp-option=vendor:dslforum.org,1,"https://acs.example.net:7547/cwmp"');
    expect(lines).toContain('dhcp-option=vendor:dslforum.org,3,"10"');
    expect(lines).toContain('dhcp-vendorclass=set:cwmp,dslforum.org');
    expect(lines).toContain('dhcp-option=tag:cwmp,vi-encap:3561,2,"TLCO.GRP2"');
    expect(lines).toContain('dhcp-vendorclass=set:cwmp6,enterprise:3561,dslforum.org');
    expect(lines).toContain('dhcp-option=tag:cwmp6,vi-encap:3561,option6:4,"2000"');
    expect(snippet('dnsmasq', false)).not.toContain('option6');
  });

  it('leaves out the sub-options that were not given', () => {
    const minimal = renderSnippets(parseAcsDiscovery({ acsUrl: 'http://acs/' }), { ipv6: true });
    for (const { text } of minimal) {
      expect(text).toContain('http://acs/');
      expect(text).not.toMatch(/cwmp6?\.provisioning-code "|"cwmp-provisioning-code", "data"|vendor:dslforum\.org,2,/);
    }
  });
});
