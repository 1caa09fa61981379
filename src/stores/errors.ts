/**
 * A store cannot be reached, started or built. The message says which and what to do; a
 * stack trace would add nothing for an operator.
 */
export class StoreError extends Error {
  override name = 'StoreError';
}
