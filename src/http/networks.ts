import { BlockList, isIP } from 'node:net';

/** A list of IP networks, as configured (CIDR, comma-separated). */
export interface Networks {
  /** the networks as configured, for messages */
  readonly text: string;
  readonly list: BlockList;
}

/** Parses `a.b.c.d/n, x:y::/n, ...`; throws an Error naming the entry it cannot read. */
export function parseNetworks(text: string): Networks {
  const list = new BlockList();
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    const family = match ? isIP(match[1]) : 0;
    const prefix = match ? Number(match[2]) : NaN;
    if (!match || family === 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`${JSON.stringify(entry)} is not a network in CIDR notation (such as 169.254.0.0/16 or fe80::/10)`);
    }
    list.addSubnet(match[1], prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { text, list };
}

/** True when the address (IPv4, IPv6, or IPv4-mapped IPv6) lies in one of the networks. */
export function inNetworks(networks: Networks, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && networks.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
