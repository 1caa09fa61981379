/** A mistake in how a command was called; `acs` prints it without a stack trace and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
