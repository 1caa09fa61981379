import type { CwmpNamespace } from './types';

export type DecodeErrorKind =
  | 'malformed'
  | 'doctype'
  | 'too-deep'
  | 'not-soap'
  | 'unsupported-namespace'
  | 'unknown-method'
  | 'invalid-argument';

/** What was readable before decoding failed, so the caller can answer with a fault. */
export interface DecodeErrorContext {
  id?: string;
  namespace?: CwmpNamespace;
  methodName?: string;
}

/**
 * Every decoding failure. The message names the element at fault and quotes at most a short,
 * clipped piece of the input, so it can be logged and returned to a device as is.
 */
export class CwmpDecodeError extends Error {
  readonly kind: DecodeErrorKind;
  id?: string;
  namespace?: CwmpNamespace;
  methodName?: string;

  constructor(kind: DecodeErrorKind, message: string, context: DecodeErrorContext = {}) {
    super(message);
    this.name = 'CwmpDecodeError';
    this.kind = kind;
    this.fill(context);
  }

  /** Adds what an outer decoding step knows; facts already recorded are kept. */
  fill(context: DecodeErrorContext): this {
    this.id ??= context.id;
    this.namespace ??= context.namespace;
    this.methodName ??= context.methodName;
    return this;
  }
}

const QUOTE_LIMIT = 40;

/** Quotes untrusted text for an error message: clipped, control characters made visible. */
export function quote(text: string): string {
  const clipped = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}...` : text;
  return JSON.stringify(clipped);
}
