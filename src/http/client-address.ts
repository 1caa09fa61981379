import { isIP } from 'node:net';
import { inNetworks, type Networks } from './networks';

/** `::ffff:192.0.2.1` and `192.0.2.1` are one client: keys and comparisons use the short form. */
export function normaliseAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (m ? m[1] : address).toLowerCase();
}

/** One X-Forwarded-For hop: `192.0.2.1`, `192.0.2.1:1234`, `2001:db8::1` or `[2001:db8::1]:1234`. */
function hopAddress(hop: string): string | undefined {
  const h = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(h);
  const address = bracketed ? bracketed[1] : withPort ? withPort[1] : h;
  return isIP(address) ? normaliseAddress(address) : undefined;
}

/**
 * The client's address. `X-Forwarded-For` is believed only as far as it was written by trusted
 * proxies: walking from the nearest hop, each address is taken while the one that reported it
 * is trusted. From an untrusted peer the header is ignored, so a client cannot choose its own
 * address (it keys failed-login limits and session binding).
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: Networks): string {
  let address = normaliseAddress(peer);
  if (!forwardedFor) return address;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0 && inNetworks(trusted, address); i--) {
    const hop = hopAddress(hops[i]);
    // a hop a trusted proxy could not read: what lies beyond it is not known
    if (!hop) break;
    address = hop;
  }
  return address;
}
