/**
 * Rule URLs: `[scheme://][server[:port]]/filepath` (001 L978-1017; 003 L1132-1161). The
 * scheme defaults to tftp; a missing server means the DHCP option 66 server, which upgrade
 * rules do not accept. Server, port and path may hold macros (`tftp://prov.telco.com/cisco/$B/$MA.cfg`).
 * `gds://` is the activation-code onboarding pseudo-URL (001 L477-508).
 */
import { Scanner } from './scanner';

export type Scheme = 'tftp' | 'http' | 'https' | 'gds';

export interface RuleUrl {
  text: string;
  scheme: Scheme;
  /** The scheme was written out (otherwise tftp is assumed). */
  explicitScheme: boolean;
  /** Absent: the TFTP server from DHCP option 66. */
  server?: string;
  /** Absent: the scheme's default port. */
  port?: number;
  path: string;
  position: number;
}

export const DEFAULT_PORTS: Record<Exclude<Scheme, 'gds'>, number> = { tftp: 69, http: 80, https: 443 };

/** Reads a URL at the scanner's position up to whitespace or one of `stops`. */
export function readUrl(s: Scanner, stops: string, requireServer: boolean): RuleUrl {
  const position = s.pos;
  const text = s.word(stops);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  const base = { text, position };
  if (scheme) {
    const name = scheme[1].toLowerCase();
    if (name === 'gds') {
      if (text.length !== scheme[0].length) s.fail('expected nothing after gds://', position + scheme[0].length);
      return { ...base, scheme: 'gds', explicitScheme: true, path: '' };
    }
    if (name !== 'tftp' && name !== 'http' && name !== 'https') {
      s.fail(`expected scheme tftp, http or https, found "${scheme[1]}"`, position);
    }
  }
  const rest = scheme ? text.slice(scheme[0].length) : text;
  const restAt = position + (scheme ? scheme[0].length : 0);
  const slash = rest.indexOf('/');
  if (slash < 0) s.fail('expected an absolute file path starting with "/"', restAt + rest.length);
  const authority = rest.slice(0, slash);
  const url: RuleUrl = {
    ...base,
    scheme: (scheme?.[1].toLowerCase() as Scheme | undefined) ?? 'tftp',
    explicitScheme: scheme !== null,
    path: rest.slice(slash),
  };
  if (authority === '') {
    if (requireServer) s.fail('expected a server: upgrade rules cannot use the DHCP option 66 server', restAt);
    return url;
  }
  const hostPort = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::([^:]*))?$/.exec(authority);
  if (!hostPort) s.fail(`expected server[:port], found "${authority}"`, restAt);
  url.server = hostPort[1];
  if (hostPort[2] !== undefined) {
    const port = hostPort[2];
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535) {
      s.fail(`expected a port 1..65535 after ":", found "${port}"`, restAt + hostPort[1].length + 1);
    }
    url.port = n;
  }
  return url;
}
