/**
 * The typed API client, generated from the OpenAPI document at build time (generated/api.d.ts):
 * a route or payload change breaks the console's typecheck, not the page. Every request
 * carries the session cookie; every non-GET request the CSRF token of the session.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/api';

let csrfToken = '';

/** The session's CSRF token, for requests made outside the typed client (uploads with progress). */
export function csrfHeader(): Record<string, string> {
  return { 'X-CSRF-Token': csrfToken };
}
let onSignedOut: () => void = () => {};

export function useCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server answers 401: the session expired or was ended elsewhere. */
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/session')) onSignedOut();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin' });
api.use(csrf);

/** One field the API named in a refusal (`in`: path, query or body). */
export interface FieldProblem {
  in?: string;
  field?: string;
  message?: string;
}

/** An RFC 9457 problem document from the API, as an Error the pages can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the fields the problem document names, for forms to show next to each */
    readonly errors: FieldProblem[] = [],
    /** the problem's own sentence, without the field list `message` appends */
    readonly detail: string = message,
  ) {
    super(message);
  }

  /** The message for one field, when the problem names it. */
  about(field: string): string | undefined {
    const found = this.errors.find((f) => f.field === field);
    return found ? `${field} ${found.message ?? 'is invalid'}` : undefined;
  }
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: FieldProblem[];
}

export function problemText(status: number, problem: unknown): string {
  const p = (problem ?? {}) as Problem;
  const fields = (p.errors ?? []).map((e) => [e.field, e.message].filter(Boolean).join(' ')).filter(Boolean);
  return [p.detail ?? p.title ?? `request failed (HTTP ${status})`, ...fields].join('; ');
}

/** The data of an openapi-fetch result, or an ApiError with the server's explanation. */
export async function must<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (error !== undefined || !response.ok) {
    const p = (error ?? {}) as Problem;
    throw new ApiError(response.status, problemText(response.status, error), p.errors ?? [], p.detail ?? p.title ?? `request failed (HTTP ${response.status})`);
  }
  return data as T;
}
