#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { StoreError } from '../stores/errors';
import { commands } from './commands';
import { CliError, EXIT } from './errors';
import { packageVersion } from './version';

/** The `acs` command. Each verb lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('acs')
    .description('TR-069 auto-configuration server for Cisco MPP phones and any CWMP device')
    .version(packageVersion(), '-V, --version', 'print the version of acs')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 1 && err.code.startsWith('commander.') ? EXIT.usage : err.exitCode;
    if (err instanceof CliError) {
      process.stderr.write(`acs: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`acs: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof StoreError) {
      process.stderr.write(`acs: ${err.message}\n`);
      return EXIT.unreachable;
    }
    process.stderr.write(`acs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
    // Whatever a command left open (a pool, a keep-alive socket) must not keep `acs` from exiting.
    setTimeout(() => process.exit(code), 1000).unref();
  });
}
