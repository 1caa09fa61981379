import { lookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { inNetworks, parseNetworks, type Networks } from '../../http/networks';

/**
 * Networks a connection request must never reach. A ConnectionRequestURL is whatever a device
 * reported, so without this a hostile device could make the worker send GETs to the cloud
 * metadata service (169.254.169.254) or to the ACS's own neighbours.
 */
export type BlockedNetworks = Networks;
export const parseBlockedNetworks = parseNetworks;
export const isBlocked = inNetworks;

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
