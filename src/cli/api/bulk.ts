import { CliError, EXIT } from '../errors';

/**
 * Runs `one` for every item, one line per item on stdout (done) or stderr (refused). When some
 * were refused the command exits with EXIT.partial; when all were, with the first refusal's
 * code. An unreachable server stops it at once.
 */
export async function forEach(items: string[], one: (item: string) => Promise<unknown>, done: string): Promise<void> {
  const failures: CliError[] = [];
  for (const item of items) {
    try {
      await one(item);
      process.stdout.write(`${item}: ${done}\n`);
    } catch (err) {
      if (!(err instanceof CliError) || err.exitCode === EXIT.unreachable) throw err;
      failures.push(err);
      process.stderr.write(`acs: ${item}: ${err.message}\n`);
    }
  }
  if (failures.length === items.length) throw new CliError(`${items.length === 1 ? 'it' : `all ${items.length}`} failed`, failures[0].exitCode);
  if (failures.length) throw new CliError(`${failures.length} of ${items.length} failed`, EXIT.partial);
}
