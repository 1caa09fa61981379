import { request } from 'undici';
import { UserStore } from '../../src/users';
import type { ApiRole } from '../../src/auth';
import type { TestAcs } from './acs';
import { apiClient, type ApiReply, type CallOptions } from './api';

/**
 * A browser's view of the API: it keeps the cookies the server sets (and sends them back, as
 * a browser on the same origin would) and the CSRF token the session routes hand out. Every
 * answer is still checked against the declared schemas.
 */
export class ConsoleBrowser {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;
  private readonly api;

  constructor(private readonly acs: TestAcs) {
    this.api = apiClient(acs);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A call with this browser's cookies; `csrf: false` leaves the CSRF header out. */
  async call(method: string, path: string, options: CallOptions & { csrf?: boolean | string } = {}): Promise<ApiReply> {
    const { csrf = true, ...rest } = options;
    const headers: Record<string, string> = { ...rest.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    const token = typeof csrf === 'string' ? csrf : csrf ? this.csrf : undefined;
    if (token) headers['x-csrf-token'] = token;
    const reply = await this.api.call(method, path, { token: null, ...rest, headers });
    this.remember(reply.headers['set-cookie']);
    return reply;
  }

  remember(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** GET /session, keeping its CSRF token. */
  async session(): Promise<ApiReply> {
    const r = await this.call('GET', '/session');
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }

  /** GET /session then POST /session, as the login page does. */
  async signIn(name: string, password: string): Promise<ApiReply> {
    await this.session();
    const r = await this.call('POST', '/session', { body: { name, password } });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }

  /** A raw request outside /api/v1 (static files), with the cookies. */
  async raw(path: string, headers: Record<string, string> = {}) {
    const res = await request(`${this.acs.apiUrl}${path}`, { headers: { ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}), ...headers } });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  }
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A console user with this role (and the test password), as `acs user create` makes them. */
export async function createUser(acs: TestAcs, role: ApiRole, name = `user-${role}`, password = TEST_PASSWORD): Promise<string> {
  await new UserStore(acs.stores.db).create({ name, role, password, createdBy: 'test' });
  return name;
}

/** A browser signed in as a new user with this role. */
export async function signedIn(acs: TestAcs, role: ApiRole, name?: string): Promise<ConsoleBrowser> {
  const user = await createUser(acs, role, name);
  const browser = new ConsoleBrowser(acs);
  const r = await browser.signIn(user, TEST_PASSWORD);
  if (r.status !== 200) throw new Error(`sign-in as ${user} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return browser;
}
