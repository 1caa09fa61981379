/**
 * What REDIS_URL names: one server (`redis://`, `rediss://`), a master found through Redis
 * Sentinel (`redis+sentinel://host:port,host:port/mastername[/db]`) or a Redis Cluster
 * (`redis+cluster://host:port,host:port`). One variable keeps the Helm chart's Secret and
 * the local-stores logic as they are; the `rediss+` forms speak TLS to every node.
 */
export interface RedisNode {
  host: string;
  port: number;
}

interface Credentials {
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisTarget =
  | { kind: 'single'; url: string }
  | (Credentials & { kind: 'sentinel'; sentinels: RedisNode[]; name: string; db: number; sentinelPassword?: string })
  | (Credentials & { kind: 'cluster'; nodes: RedisNode[] });

const MULTI = /^(rediss?)\+(sentinel|cluster):\/\/(?:([^@/?#]*)@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/;
const NODE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/;

export class RedisUrlError extends Error {}

/** Parses REDIS_URL; throws RedisUrlError saying what is wrong (never echoing a password). */
export function parseRedisUrl(url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new RedisUrlError('is not a valid URL');
    }
    return { kind: 'single', url };
  }
  const m = MULTI.exec(url);
  if (!m) throw new RedisUrlError('must be redis://, rediss://, redis+sentinel://host:port,…/mastername or redis+cluster://host:port,…');
  const [, scheme, kind, userinfo, hostList, path = '', query = ''] = m;
  const defaultPort = kind === 'sentinel' ? 26379 : 6379;
  const nodes = hostList.split(',').map((text) => {
    const n = NODE.exec(text.trim());
    const port = Number(n?.[3] ?? defaultPort);
    if (!n || port < 1 || port > 65535) throw new RedisUrlError(`names a bad host:port ${JSON.stringify(text)}`);
    return { host: n[1] ?? n[2], port };
  });
  const credentials: Credentials = { tls: scheme === 'rediss', ...userCredentials(userinfo) };
  const params = new URLSearchParams(query);
  const unknown = [...params.keys()].filter((k) => !(kind === 'sentinel' && k === 'sentinelPassword'));
  if (unknown.length) throw new RedisUrlError(`has unknown parameter ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (kind === 'cluster') {
    // a cluster has database 0 only
    if (segments.length) throw new RedisUrlError('of a cluster takes no path (a cluster has no databases)');
    return { kind: 'cluster', nodes, ...credentials };
  }
  const [name, db = '0'] = segments;
  if (!name || segments.length > 2) throw new RedisUrlError('of a sentinel must end in /mastername or /mastername/db');
  if (!/^\d{1,2}$/.test(db)) throw new RedisUrlError(`names a bad database ${JSON.stringify(db)}`);
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  return { kind: 'sentinel', sentinels: nodes, name, db: Number(db), ...credentials, ...(sentinelPassword ? { sentinelPassword } : {}) };
}

function userCredentials(userinfo: string | undefined): { username?: string; password?: string } {
  if (!userinfo) return {};
  const colon = userinfo.indexOf(':');
  const [user, password] = colon < 0 ? [userinfo, ''] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
  return { ...(user ? { username: decodeURIComponent(user) } : {}), ...(password ? { password: decodeURIComponent(password) } : {}) };
}

/** The URL with its passwords masked, for messages and logs. */
export function redactRedisUrl(url: string): string {
  if (/^rediss?\+/.test(url)) return url.replace(/\/\/[^@/?#]*:[^@/?#]*@/, '//***@').replace(/(sentinelPassword=)[^&#]*/, '$1***');
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
