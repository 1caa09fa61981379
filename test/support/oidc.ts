import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { startTestAcs, type TestAcs } from './acs';

export const OIDC_CLIENT_ID = 'acs-console';
export const OIDC_CLIENT_SECRET = 'test-client-secret-not-for-production';

export interface TestOidcProvider {
  issuer: string;
  /** registers the ACS's redirect URI (known once the ACS listens); the provider then serves */
  register(redirectUri: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts test/support/oidc-provider.mjs (a real `oidc-provider`) in its own process on a free
 * loopback port, with these accounts and their claims.
 */
export async function startOidcProvider(accounts: Record<string, Record<string, unknown>>): Promise<TestOidcProvider> {
  const settings = { clientId: OIDC_CLIENT_ID, clientSecret: OIDC_CLIENT_SECRET, accounts };
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidc-provider.mjs')], {
    env: { ...process.env, OIDC_TEST_SETTINGS: JSON.stringify(settings), NODE_ENV: 'test' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const next = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the OIDC provider did not print ${pattern} within 20 s`)), 20_000);
      const exited = (code: number | null) => reject(new Error(`the OIDC provider exited (${code})`));
      child.once('exit', exited);
      const read = (line: string) => {
        const m = pattern.exec(line);
        if (!m) return;
        clearTimeout(timer);
        child.off('exit', exited);
        lines.off('line', read);
        resolve(m);
      };
      lines.on('line', read);
    });
  const issuer = (await next(/^issuer (\S+)$/))[1];
  return {
    issuer,
    register: async (redirectUri) => {
      const ready = next(/^ready$/);
      child.stdin!.write(`${redirectUri}\n`);
      await ready;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill();
      await once(child, 'exit');
    },
  };
}

/** Cookies per origin, as a browser keeps them (no paths or expiry: enough for one flow). */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  header(url: URL): string | undefined {
    const jar = this.byOrigin.get(url.origin);
    return jar?.size ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  get(origin: string, name: string): string | undefined {
    return this.byOrigin.get(origin)?.get(name);
  }

  keep(url: URL, setCookie: string | string[] | undefined): void {
    const jar = this.byOrigin.get(url.origin) ?? new Map<string, string>();
    this.byOrigin.set(url.origin, jar);
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  }
}

export interface Hop {
  status: number;
  location?: string;
  body: string;
}

/** One request as a browser sends it (its cookies for the origin), redirects not followed. */
export async function hop(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Hop> {
  const target = new URL(url);
  const cookie = jar.header(target);
  const res = await request(target, {
    method: form ? 'POST' : 'GET',
    headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.keep(target, res.headers['set-cookie']);
  const location = res.headers.location as string | undefined;
  return { status: res.statusCode, location: location ? new URL(location, target).href : undefined, body: await res.body.text() };
}

/** Follows redirects from `url` until one leads to `stopAt`'s origin+path (not requested) or a page. */
export async function follow(jar: CookieJar, url: string, stopAt?: string): Promise<{ url: string; last: Hop }> {
  let current = url;
  for (let i = 0; i < 10; i++) {
    const last = await hop(jar, current);
    if (!last.location) return { url: current, last };
    if (stopAt && last.location.startsWith(stopAt)) return { url: last.location, last };
    current = last.location;
  }
  throw new Error(`more than 10 redirects from ${url}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface SsoAcs {
  acs: TestAcs;
  provider: TestOidcProvider;
  /** the redirect URI both sides know */
  callbackUrl: string;
  close(): Promise<void>;
}

/**
 * A test OIDC provider and a test ACS configured for it (provider named "Test IdP", groups
 * acs-admins -> admin, noc -> operator, staff -> viewer). The ACS's API port is chosen before
 * it starts, since its redirect URI must be in its configuration and at the provider.
 */
export async function startSsoAcs(accounts: Record<string, Record<string, unknown>>, roles: string[]): Promise<SsoAcs> {
  const provider = await startOidcProvider(accounts);
  try {
    const port = await freePort();
    const callbackUrl = `http://127.0.0.1:${port}/api/v1/session/oidc/callback`;
    await provider.register(callbackUrl);
    const acs = await startTestAcs(
      {
        ACS_API_PORT: String(port),
        ACS_CONSOLE_OIDC_ISSUER: provider.issuer,
        ACS_CONSOLE_OIDC_CLIENT_ID: OIDC_CLIENT_ID,
        ACS_CONSOLE_OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET,
        ACS_CONSOLE_OIDC_REDIRECT_URL: callbackUrl,
        ACS_CONSOLE_OIDC_NAME: 'Test IdP',
        ACS_CONSOLE_OIDC_ROLE_MAP: 'acs-admins=admin,noc=operator,staff=viewer',
      },
      { roles },
    );
    return { acs, provider, callbackUrl, close: async () => (await acs.close(), await provider.close()) };
  } catch (err) {
    await provider.close();
    throw err;
  }
}
