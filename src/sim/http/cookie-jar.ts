import { parseCookie } from 'undici';

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  /** epoch ms; undefined = until the jar is dropped */
  expiresAt?: number;
}

/**
 * The cookies of one CWMP session (RFC 6265 §5.3/§5.4 storage and retrieval rules, Set-Cookie
 * parsing by undici). TR-069 requires a CPE to return every cookie the ACS set for the rest
 * of the session, so a jar lives exactly as long as a session.
 */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Stores the Set-Cookie header values of a response to `url`. */
  store(url: URL, setCookie: string | string[] | undefined, now = Date.now()): void {
    for (const line of typeof setCookie === 'string' ? [setCookie] : (setCookie ?? [])) {
      const parsed = parseCookie(line);
      if (!parsed) continue;
      const host = url.hostname.toLowerCase();
      if (parsed.domain !== undefined && !domainMatch(host, parsed.domain)) continue;
      let expiresAt: number | undefined;
      if (parsed.maxAge !== undefined) expiresAt = now + parsed.maxAge * 1000;
      else if (parsed.expires !== undefined) {
        const t = new Date(parsed.expires).getTime();
        if (!Number.isNaN(t)) expiresAt = t;
      }
      const cookie: StoredCookie = {
        name: parsed.name,
        value: parsed.value,
        domain: parsed.domain ?? host,
        hostOnly: parsed.domain === undefined,
        path: parsed.path?.startsWith('/') ? parsed.path : defaultPath(url.pathname),
        secure: parsed.secure === true,
        expiresAt,
      };
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
      if (expiresAt === undefined || expiresAt > now) this.cookies.push(cookie);
    }
  }

  /** The Cookie header for a request to `url`, or undefined when no cookie applies. */
  header(url: URL, now = Date.now()): string | undefined {
    this.cookies = this.cookies.filter((c) => c.expiresAt === undefined || c.expiresAt > now);
    const host = url.hostname.toLowerCase();
    const matching = this.cookies
      .filter((c) => (c.hostOnly ? c.domain === host : domainMatch(host, c.domain)))
      .filter((c) => pathMatch(url.pathname || '/', c.path))
      .filter((c) => !c.secure || url.protocol === 'https:');
    if (matching.length === 0) return undefined;
    // Longer paths first; the sort is stable, so equal paths keep creation order.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

function domainMatch(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^[\d.]+$/.test(host));
}

function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function defaultPath(path: string): string {
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}
