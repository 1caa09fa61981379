import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { request } from 'undici';
import { loadConfig } from '../../config';
import { escapePart, parseDeviceKey } from '../../devices/id';
import { localAcs } from '../../local';
import { CliError, EXIT, UnreachableError, UsageError } from '../errors';

export interface ApiTarget {
  url: string;
  token: string;
}

export interface ApiFlags {
  apiUrl?: string;
  token?: string;
}

/** `--api-url` and `--token` on a command that talks to the API. */
export function withApiOptions(cmd: Command): Command {
  return cmd
    .option('--api-url <url>', 'operator API base URL (default ACS_API_URL, http://127.0.0.1:7557)')
    .option('--token <token>', 'API token (default ACS_API_TOKEN); create one with `acs token create`');
}

/**
 * Where the API is: --api-url, else ACS_API_URL, else the local ACS `npm start` of this
 * checkout runs, else the default.
 */
export function apiTarget(flags: ApiFlags, env: NodeJS.ProcessEnv = process.env): ApiTarget {
  const config = loadConfig(env);
  const url = (flags.apiUrl ?? (env.ACS_API_URL ? config.api.url : (localAcs()?.apiUrl ?? config.api.url))).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new UsageError(`--api-url must be an http(s) URL, got ${JSON.stringify(url)}`);
  const token = flags.token ?? config.api.token;
  if (!token) throw new UsageError('an API token is required: pass --token or set ACS_API_TOKEN (create one with `acs token create`)');
  return { url, token };
}

/** An answer of the API that is a problem document: printed as the API worded it. */
export class ApiProblem extends CliError {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: Array<{ field: string; message: string }> },
  ) {
    const fields = (problem.errors ?? []).slice(1, 5).map((e) => `\n  ${e.field}: ${e.message}`).join('');
    super(`${problem.detail ?? problem.title ?? 'request failed'} (HTTP ${status})${fields}`, EXIT.refused);
  }
}

/** One API call; JSON in and out. Problems become ApiProblem, an unreachable API an UnreachableError. */
export function callApi<T = unknown>(target: ApiTarget, method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(target, method, path, body === undefined ? {} : { contentType: 'application/json', body: JSON.stringify(body) });
}

/** A file streamed as the request body (POST /files); the answer as callApi gives it. */
export function uploadApi<T = unknown>(target: ApiTarget, path: string, file: Readable, length: number): Promise<T> {
  return send<T>(target, 'POST', path, { contentType: 'application/octet-stream', body: file, length });
}

async function send<T>(target: ApiTarget, method: string, path: string, payload: { contentType?: string; body?: string | Readable; length?: number }): Promise<T> {
  let res;
  try {
    res = await request(`${target.url}/api/v1${path}`, {
      method: method as 'GET',
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/json',
        ...(payload.contentType ? { 'content-type': payload.contentType } : {}),
        ...(payload.length !== undefined ? { 'content-length': String(payload.length) } : {}),
      },
      body: payload.body,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).message;
    throw new UnreachableError(`cannot reach the API at ${target.url}: ${code}`);
  }
  const text = await res.body.text();
  const parsed = text ? safeJson(text) : undefined;
  if (res.statusCode >= 400) throw new ApiProblem(res.statusCode, (parsed as object) ?? { detail: text.slice(0, 200) });
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A task or job id (24 hex digits, as the API hands them out); otherwise a UsageError naming it. */
export function checkObjectId(what: string, id: string): string {
  if (!/^[0-9a-f]{24}$/.test(id)) throw new UsageError(`${what} ${JSON.stringify(id)} must be 24 hex digits, as \`acs tasks\`, \`acs jobs\` and \`acs faults\` print them`);
  return id;
}

/** A device id as a URL path segment; a malformed id is a UsageError naming it and the form expected. */
export function devicePath(id: string): string {
  return `/devices/${encodeURIComponent(checkDeviceId(id))}`;
}

/**
 * The id as given when it is one (`OUI-ProductClass-SerialNumber`, see deviceKey); otherwise a
 * UsageError that shows the expected form, and the likely meant id when a part held a bare `-`.
 */
export function checkDeviceId(id: string): string {
  if (parseDeviceKey(id)) return id;
  const parts = id.split('-');
  const guess = parts.length > 3 && /^[0-9A-Fa-f]{6}$/.test(parts[0]) ? `${parts[0]}-${escapePart(parts.slice(1, -1).join('-'))}-${escapePart(parts[parts.length - 1])}` : undefined;
  throw new UsageError(
    `${JSON.stringify(id)} is not a device id: expected OUI-ProductClass-SerialNumber with any other character of a part %-encoded (a "-" is %2D), e.g. 00562B-CP%2D8851%2D3PCC-FCH1234ABCD${guess && parseDeviceKey(guess) ? `; did you mean ${guess}?` : ''} (\`acs devices list\` shows them)`,
  );
}
