import type Koa from 'koa';
import getRawBody from 'raw-body';
import { ProblemError } from './problem';

/**
 * Reads a JSON request body within `maxBytes`. Undefined when the request has no body; a
 * problem (415, 413, 400) when it is not JSON, too large or malformed.
 */
export async function readJsonBody(ctx: Koa.Context, maxBytes: number): Promise<unknown> {
  const length = ctx.request.length;
  const chunked = ctx.get('Transfer-Encoding') !== '';
  if (!chunked && !length) return undefined;
  if (!ctx.request.is('application/json', '+json')) {
    throw new ProblemError(415, 'unsupported-media-type', `request body must be application/json, not ${JSON.stringify(ctx.get('Content-Type') || '(none)')}`);
  }
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: maxBytes, length: length || undefined, encoding: 'utf-8' });
  } catch (err) {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') throw new ProblemError(413, 'body-too-large', `request body exceeds ${maxBytes} bytes`);
    throw new ProblemError(400, 'invalid-request', `request body could not be read: ${(err as Error).message}`);
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ProblemError(400, 'invalid-json', `request body is not valid JSON: ${(err as Error).message}`, [{ in: 'body', field: '', pointer: '', message: 'is not valid JSON' }]);
  }
}
