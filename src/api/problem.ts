import type { ErrorObject } from 'ajv';

/** Where a wrong field sits in the request. */
export type FieldLocation = 'path' | 'query' | 'body';

export interface FieldError {
  in: FieldLocation;
  /** dotted field name (`rpc.parameterList.0.value`); '' for the whole part */
  field: string;
  /** JSON Pointer inside the body */
  pointer?: string;
  message: string;
}

/** RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/**
 * An error a handler throws to answer with a problem document. `kind` becomes the type URI
 * `urn:cwmp-acs:problem:<kind>`, stable for clients to branch on.
 */
export class ProblemError extends Error {
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly kind: string,
    detail: string,
    readonly errors?: FieldError[],
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.headers = headers;
  }

  toProblem(instance?: string): Problem {
    return {
      type: `urn:cwmp-acs:problem:${this.kind}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors?.length ? { errors: this.errors } : {}),
    };
  }
}

/** 400 naming one field. */
export function invalidField(location: FieldLocation, field: string, message: string, status = 400): ProblemError {
  return new ProblemError(status, 'invalid-request', `${describe(location, field)} ${message}`, [{ in: location, field, message }]);
}

export function notFound(what: string): ProblemError {
  return new ProblemError(404, 'not-found', `${what} does not exist`);
}

export function conflict(detail: string): ProblemError {
  return new ProblemError(409, 'conflict', detail);
}

const MAX_REPORTED = 20;

/** The problem for a request part that failed its schema; every wrong field is named. */
export function schemaProblem(location: FieldLocation, errors: ErrorObject[]): ProblemError {
  const fields = dedupe(errors.filter((e) => !isNoise(e)).map((e) => fieldError(location, e))).slice(0, MAX_REPORTED);
  const first = fields[0] ?? { in: location, field: '', message: 'is invalid' };
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
  return new ProblemError(400, 'invalid-request', `${describe(location, first.field)} ${first.message}${more}`, fields);
}

function describe(location: FieldLocation, field: string): string {
  if (location === 'body') return field ? `body field "${field}"` : 'request body';
  return `${location === 'path' ? 'path parameter' : 'query parameter'} "${field}"`;
}

/** oneOf/anyOf summaries repeat what the branch errors already say. */
function isNoise(e: ErrorObject): boolean {
  return e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if';
}

function fieldError(location: FieldLocation, e: ErrorObject): FieldError {
  let pointer = e.instancePath;
  let message = e.message ?? 'is invalid';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      pointer += `/${escape(String(params.missingProperty))}`;
      message = 'is required';
      break;
    case 'additionalProperties':
      pointer += `/${escape(String(params.additionalProperty))}`;
      message = 'is not allowed (unknown field)';
      break;
    case 'propertyNames':
      pointer += `/${escape(String(params.propertyName))}`;
      message = 'is not a valid name here';
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(params.allowedValue)}`;
      break;
    case 'discriminator':
      pointer += `/${escape(String(params.tag))}`;
      message = params.error === 'mapping' ? 'is not a known RPC method' : 'is required and must be a string';
      break;
    default:
      break;
  }
  const field = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  return location === 'body' ? { in: location, field, pointer, message } : { in: location, field, message };
}

function escape(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function dedupe(list: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return list.filter((f) => {
    const key = `${f.in} ${f.field} ${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
