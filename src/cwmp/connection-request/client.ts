import { Agent, request, type Dispatcher } from 'undici';
import { answerChallenge, pickChallenge } from '../auth/digest';
import { BlockedAddressError, guardedLookup, isBlocked, type BlockedNetworks } from './blocked-networks';

/** What became of one connection request (TR-069 §3.2.2). */
export type WakeResult =
  | { outcome: 'woke'; status: number }
  | { outcome: 'auth_refused'; message: string }
  /** worth retrying: no answer, refused connection, 503 (the device rate-limits), other errors */
  | { outcome: 'unreachable'; message: string }
  /** not sent: the URL's address is in a blocked network; retrying cannot help */
  | { outcome: 'blocked'; message: string };

export interface WakeOptions {
  /** credential for the device's challenge; without one only a device that asks for none wakes */
  credential?: { username: string; password: string };
  /** answer a Basic challenge (sends the password in clear) */
  allowBasic: boolean;
  /** per HTTP exchange */
  timeoutMs: number;
  /** addresses never to contact, whether the URL names them or a name resolves to them */
  blocked?: BlockedNetworks;
  dispatcher?: Dispatcher;
}

const WOKE = new Set([200, 204]);

/**
 * Connection requests go to many hosts once each; short keep-alive, no pipelining. No limit per
 * origin: ACS_CR_CONCURRENCY already bounds what is in flight, and time spent queued for a
 * pooled connection would count against the device's timeout (phones behind one address and
 * port, as in a simulator, would then look unreachable).
 */
const sharedAgent = new Agent({ keepAliveTimeout: 2_000 });
const guardedAgents = new WeakMap<BlockedNetworks, Agent>();

function dispatcherFor(options: WakeOptions): Dispatcher {
  if (options.dispatcher) return options.dispatcher;
  if (!options.blocked) return sharedAgent;
  let agent = guardedAgents.get(options.blocked);
  if (!agent) {
    agent = new Agent({ keepAliveTimeout: 2_000, connect: { lookup: guardedLookup(options.blocked) } });
    guardedAgents.set(options.blocked, agent);
  }
  return agent;
}

/**
 * Sends an HTTP connection request: GET the URL; answer a 401 with Digest (Basic only when
 * allowed) and GET again. 200/204 means the device will open a session. Never throws.
 */
export async function sendConnectionRequest(url: string, options: WakeOptions): Promise<WakeResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { outcome: 'unreachable', message: 'ConnectionRequestURL is not a URL' };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { outcome: 'unreachable', message: `unsupported scheme ${target.protocol}` };
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  if (options.blocked && isBlocked(options.blocked, literal)) {
    return { outcome: 'blocked', message: `${literal} is in a network connection requests may not reach (ACS_CR_BLOCKED_NETWORKS)` };
  }
  const uri = `${target.pathname}${target.search}`;
  try {
    const first = await get(target, undefined, options);
    if (WOKE.has(first.status)) return { outcome: 'woke', status: first.status };
    if (first.status !== 401) return classify(first.status);
    const authorization = authorize(first.challenges, uri, options);
    if (typeof authorization !== 'string') return authorization;
    const second = await get(target, authorization, options);
    if (WOKE.has(second.status)) return { outcome: 'woke', status: second.status };
    if (second.status === 401 || second.status === 403) return { outcome: 'auth_refused', message: `the device refused the credentials of ${JSON.stringify(options.credential?.username)}` };
    return classify(second.status);
  } catch (err) {
    const blocked = blockedBy(err);
    return blocked ? { outcome: 'blocked', message: blocked.message } : { outcome: 'unreachable', message: describe(err) };
  }
}

function blockedBy(err: unknown): BlockedAddressError | undefined {
  for (let e = err as { cause?: unknown } | undefined; e; e = e.cause as { cause?: unknown } | undefined) {
    if (e instanceof BlockedAddressError) return e;
  }
  return undefined;
}

function authorize(challenges: string[], uri: string, options: WakeOptions): string | WakeResult {
  const credential = options.credential;
  if (!credential) return { outcome: 'auth_refused', message: 'the device asks for credentials and none is configured for it' };
  const digest = pickChallenge(challenges);
  if (digest) return answerChallenge(digest, { ...credential, method: 'GET', uri });
  if (challenges.some((c) => /^\s*Basic\b/i.test(c))) {
    if (!options.allowBasic) return { outcome: 'auth_refused', message: 'the device offers only Basic authentication (set ACS_CR_ALLOW_BASIC to allow it)' };
    return `Basic ${Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64')}`;
  }
  return { outcome: 'auth_refused', message: 'the device sent no challenge the ACS can answer' };
}

async function get(target: URL, authorization: string | undefined, options: WakeOptions): Promise<{ status: number; challenges: string[] }> {
  const res = await request(target, {
    method: 'GET',
    headers: authorization ? { authorization } : {},
    dispatcher: dispatcherFor(options),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  // Devices answer with an empty body; whatever else they send is read no further than needed.
  await res.body.dump({ limit: 4096 }).catch(() => undefined);
  const www = res.headers['www-authenticate'];
  return { status: res.statusCode, challenges: www === undefined ? [] : [www].flat() };
}

function classify(status: number): WakeResult {
  if (status === 503) return { outcome: 'unreachable', message: 'the device is busy (503)' };
  return { outcome: 'unreachable', message: `the device answered HTTP ${status}` };
}

function describe(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT') return 'no answer within the timeout';
  const code = e.code ?? e.cause?.code;
  return code ? `connection failed (${code})` : `connection failed (${e.message ?? 'unknown error'})`;
}
