#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { commands } from './commands';
import { UsageError } from './errors';

/** The `acs` command. Each verb lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('acs')
    .description('TR-069 auto-configuration server for Cisco MPP phones and any CWMP device')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`acs: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`acs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
