import { lookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Networks a connection request must never reach. A ConnectionRequestURL is whatever a device
 * reported, so without this a hostile device could make the worker send GETs to the cloud
 * metadata service (169.254.169.254) or to the ACS's own neighbours.
 */
export interface BlockedNetworks {
  /** the networks as configured, for messages */
  readonly text: string;
  readonly list: BlockList;
}

/** Parses `a.b.c.d/n, x:y::/n, ...`; throws an Error naming the entry it cannot read. */
export function parseBlockedNetworks(text: string): BlockedNetworks {
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

/** True when the address (IPv4, IPv6, or IPv4-mapped IPv6) lies in a blocked network. */
export function isBlocked(networks: BlockedNetworks, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && networks.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Raised by the guarded lookup; the client reports it as a blocked request. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_CR_BLOCKED';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, in a network connection requests may not reach (ACS_CR_BLOCKED_NETWORKS)`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that refuses names resolving into a blocked network. Checking the
 * addresses the socket will actually use (not a separate resolution before it) leaves no
 * window for a name to change its answer in between.
 */
export function guardedLookup(networks: BlockedNetworks) {
  return (host: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    lookup(host, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const blocked = addresses.find((a) => isBlocked(networks, a.address));
      if (blocked) return callback(new BlockedAddressError(host, blocked.address) as unknown as NodeJS.ErrnoException, '');
      if ((options as LookupAllOptions).all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
