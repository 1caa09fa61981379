/**
 * Exit codes of `acs`, documented in the README: scripts can tell a mistake in the command
 * line from a refusal by the API, a server that cannot be reached and a bulk command that
 * went only part of the way.
 */
export const EXIT = {
  ok: 0,
  /** anything unexpected (a bug, a failed run of `acs sim`) */
  failure: 1,
  /** a wrong flag, value or missing setting */
  usage: 2,
  /** the API answered with a problem (4xx/5xx) */
  refused: 3,
  /** the API or a store did not answer */
  unreachable: 4,
  /** a command over several items did some of them, not all */
  partial: 5,
} as const;

/** An error `acs` prints as one line (no stack trace) and exits with its code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A mistake in how a command was called. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** The API or a store could not be reached. */
export class UnreachableError extends CliError {
  override name = 'UnreachableError';
  constructor(message: string) {
    super(message, EXIT.unreachable);
  }
}
