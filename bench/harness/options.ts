import { parseArgs, type ParseArgsConfig } from 'node:util';

type Flags = NonNullable<ParseArgsConfig['options']>;

/** A bench's command-line flags (unknown flags are an error, as is a missing value). */
export function flags<T extends Flags>(options: T) {
  return parseArgs({ options, strict: true }).values;
}

/** The value of `--name` as a positive integer, or an error that names the flag and the value. */
export function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}
