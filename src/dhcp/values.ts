import {
  BBF_ENTERPRISE,
  CWMP_SUB_OPTION,
  cwmpSubOptions,
  encodeCwmpDhcpv6Option16,
  encodeCwmpDhcpv6Option17,
  encodeCwmpOption125,
  encodeCwmpOption60,
  encodeOption43,
  type AcsDiscovery,
} from './cwmp';

/** One DHCP option's bytes, described for an operator reading `acs dhcp` output. */
export interface OptionValue {
  family: 'DHCPv4' | 'DHCPv6';
  code: number;
  name: string;
  /** who puts it in the packet */
  sender: 'device' | 'server';
  data: Buffer;
}

const SUB_OPTION_LABELS: Record<number, string> = {
  [CWMP_SUB_OPTION.acsUrl]: 'ACS URL',
  [CWMP_SUB_OPTION.provisioningCode]: 'provisioning code',
  [CWMP_SUB_OPTION.retryMinimumWaitInterval]: 'CWMP retry minimum wait interval',
  [CWMP_SUB_OPTION.retryIntervalMultiplier]: 'CWMP retry interval multiplier',
};

export function discoveryOptionValues(discovery: AcsDiscovery, options: { ipv6: boolean }): OptionValue[] {
  const values: OptionValue[] = [
    { family: 'DHCPv4', code: 60, name: 'vendor class identifier', sender: 'device', data: encodeCwmpOption60() },
    { family: 'DHCPv4', code: 43, name: 'vendor-specific information', sender: 'server', data: encodeOption43(discovery) },
    {
      family: 'DHCPv4',
      code: 125,
      name: `V-I vendor-specific information, enterprise ${BBF_ENTERPRISE}`,
      sender: 'server',
      data: encodeCwmpOption125(discovery),
    },
  ];
  if (options.ipv6) {
    values.push(
      {
        family: 'DHCPv6',
        code: 16,
        name: `vendor class, enterprise ${BBF_ENTERPRISE}`,
        sender: 'device',
        data: encodeCwmpDhcpv6Option16(),
      },
      {
        family: 'DHCPv6',
        code: 17,
        name: `vendor-specific information, enterprise ${BBF_ENTERPRISE}`,
        sender: 'server',
        data: encodeCwmpDhcpv6Option17(discovery),
      },
    );
  }
  return values;
}

/** The sub-options the server options carry, one line each: code, meaning, text. */
export function describeSubOptions(discovery: AcsDiscovery): string[] {
  return cwmpSubOptions(discovery).map(
    (s) => `sub-option ${s.code} (${SUB_OPTION_LABELS[s.code]}): ${JSON.stringify(s.value.toString('latin1'))}`,
  );
}
