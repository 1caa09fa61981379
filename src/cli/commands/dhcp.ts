import type { Command } from 'commander';
import {
  DhcpOptionError,
  describeSubOptions,
  discoveryOptionValues,
  parseAcsDiscovery,
  renderSnippets,
  toHex,
  type AcsDiscovery,
  type AcsDiscoveryField,
  type SnippetServer,
} from '../../dhcp';
import { UsageError } from '../errors';

const FORMATS = {
  all: null,
  hex: null,
  isc: ['isc-dhcpd', 'isc-dhcpd6'],
  kea: ['kea-dhcp4', 'kea-dhcp6'],
  dnsmasq: ['dnsmasq'],
} as const satisfies Record<string, readonly SnippetServer[] | null>;

type Format = keyof typeof FORMATS;

const FLAGS: Record<AcsDiscoveryField, string> = {
  acsUrl: '--acs-url',
  provisioningCode: '--provisioning-code',
  retryMinimumWaitInterval: '--retry-min-wait',
  retryIntervalMultiplier: '--retry-multiplier',
};

interface DhcpOptions {
  acsUrl?: string;
  provisioningCode?: string;
  retryMinWait?: string;
  retryMultiplier?: string;
  format: string;
  ipv6?: boolean;
}

function hexReport(discovery: AcsDiscovery, ipv6: boolean): string {
  const lines = discoveryOptionValues(discovery, { ipv6 }).map(
    (v) => `${v.family} option ${v.code} (${v.name}; sent by the ${v.sender}):\n  ${toHex(v.data)}`,
  );
  return [...lines, 'CWMP sub-options:', ...describeSubOptions(discovery).map((l) => `  ${l}`), ''].join('\n');
}

export function dhcpOutput(options: DhcpOptions): string {
  if (!Object.hasOwn(FORMATS, options.format)) {
    throw new UsageError(`--format ${JSON.stringify(options.format)} is not one of ${Object.keys(FORMATS).join(', ')}`);
  }
  const format = options.format as Format;
  let discovery: AcsDiscovery;
  try {
    discovery = parseAcsDiscovery({
      acsUrl: options.acsUrl,
      provisioningCode: options.provisioningCode,
      retryMinimumWaitInterval: options.retryMinWait,
      retryIntervalMultiplier: options.retryMultiplier,
    });
  } catch (err) {
    if (err instanceof DhcpOptionError) throw new UsageError(`${FLAGS[err.field]}: ${err.message}`);
    throw err;
  }
  const ipv6 = options.ipv6 === true;
  if (format === 'hex') return hexReport(discovery, ipv6);
  const servers: readonly SnippetServer[] | null = FORMATS[format];
  const snippets = renderSnippets(discovery, { ipv6 }).filter((s) => servers === null || servers.includes(s.server));
  if (format !== 'all') return snippets.map((s) => s.text).join('\n');
  return [hexReport(discovery, ipv6), ...snippets.map((s) => `==> ${s.title}\n${s.text}`)].join('\n');
}

/** `acs dhcp`: the DHCP option values and server snippets that point devices at the ACS. */
export function register(program: Command): void {
  program
    .command('dhcp')
    .description(
      'print DHCP option values (43, 125, DHCPv6 17) and ISC dhcpd / Kea / dnsmasq snippets that give ' +
        'devices with vendor class "dslforum.org" the ACS URL',
    )
    .option('--acs-url <url>', 'ACS URL devices connect to (http or https)')
    .option('--provisioning-code <code>', 'DeviceInfo.ProvisioningCode, up to 64 ASCII characters')
    .option('--retry-min-wait <seconds>', 'CWMPRetryMinimumWaitInterval, 1-65535')
    .option('--retry-multiplier <n>', 'CWMPRetryIntervalMultiplier, 1000-65535')
    .option('--format <format>', `what to print: ${Object.keys(FORMATS).join(', ')}`, 'all')
    .option('--ipv6', 'also print the DHCPv6 options (16, 17) and DHCPv6 server snippets')
    .action((options: DhcpOptions) => {
      process.stdout.write(dhcpOutput(options));
    });
}
