import type { Command } from 'commander';
import { isApiRole, API_ROLES } from '../../auth';
import { generatePassword, passwordProblem, USER_NAME, UserExistsError, userView } from '../../users';
import { json, table } from '../api/output';
import { withStores } from '../db';
import { UsageError } from '../errors';

/**
 * `acs user create|list|disable|enable|reset-password`: console users, managed straight in
 * MongoDB like `acs token`, so the first ones need no API access.
 */
export function register(program: Command): void {
  const user = program.command('user').description('console users (people who sign in to the web console)');
  user
    .command('create')
    .description('create a user; prints a generated password once, unless --password-stdin')
    .requiredOption('--name <name>', 'the sign-in name (letters, digits, _ . @ -)')
    .requiredOption('--role <role>', `one of ${API_ROLES.join(', ')}`)
    .option('--password-stdin', 'read the password from stdin (first line) instead of generating one')
    .option('--json', 'print name, role and the generated password as JSON')
    .action(async (opts: { name: string; role: string; passwordStdin?: boolean; json?: boolean }) => {
      const name = checkName(opts.name);
      if (!isApiRole(opts.role)) throw new UsageError(`--role must be one of ${API_ROLES.join(', ')}, got ${JSON.stringify(opts.role)}`);
      const role = opts.role;
      const password = opts.passwordStdin ? await readPassword() : generatePassword();
      await withStores(async (stores) => {
        try {
          await stores.users.create({ name, role, password, createdBy: 'cli' });
        } catch (err) {
          if (err instanceof UserExistsError) throw new UsageError(err.message);
          throw err;
        }
      });
      const shown = opts.passwordStdin ? undefined : password;
      if (opts.json) return void process.stdout.write(json({ name, role, ...(shown ? { password: shown } : {}) }));
      process.stderr.write(`user ${name} (${role}) created${shown ? '; the password is shown only now:' : ''}\n`);
      if (shown) process.stdout.write(`${shown}\n`);
    });
  user
    .command('list')
    .description('list users (never their passwords)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const users = (await withStores((stores) => stores.users.list())).map(userView);
      if (opts.json) return void process.stdout.write(json(users));
      process.stdout.write(table(['NAME', 'ROLE', 'DISABLED', 'CREATED', 'BY', 'PASSWORD CHANGED'], users.map((u) => [u.name, u.role, u.disabled ? 'yes' : '', u.createdAt.toISOString(), u.createdBy, u.passwordChangedAt.toISOString()])));
    });
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    user
      .command(`${verb} <name>`)
      .description(disabled ? 'stop a user from signing in; their sessions end at their next request' : 'let a disabled user sign in again')
      .action(async (raw: string) => {
        const name = checkName(raw);
        if (!(await withStores((stores) => stores.users.update(name, { disabled })))) throw new UsageError(`no user ${JSON.stringify(name)} (see \`acs user list\`)`);
        process.stdout.write(`user ${name} ${verb}d\n`);
      });
  }
  user
    .command('reset-password <name>')
    .description('give a user a new password (generated and printed once, unless --password-stdin); their sessions end')
    .option('--password-stdin', 'read the new password from stdin (first line)')
    .action(async (raw: string, opts: { passwordStdin?: boolean }) => {
      const name = checkName(raw);
      const password = opts.passwordStdin ? await readPassword() : generatePassword();
      if (!(await withStores((stores) => stores.users.setPassword(name, password)))) throw new UsageError(`no user ${JSON.stringify(name)} (see \`acs user list\`)`);
      process.stderr.write(`password of ${name} changed; their sessions have ended${opts.passwordStdin ? '' : '; the new password is shown only now:'}\n`);
      if (!opts.passwordStdin) process.stdout.write(`${password}\n`);
    });
}

function checkName(name: string): string {
  if (!USER_NAME.test(name)) throw new UsageError(`user name ${JSON.stringify(name)} must be 1-64 letters, digits or _ . @ -`);
  return name;
}

/** The first line of stdin, without its line ending; refused (without echoing it) when too short or long. */
async function readPassword(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk.toString();
    if (text.includes('\n') || text.length > 4096) break;
  }
  const password = text.split(/\r?\n/)[0];
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`the password read from stdin ${problem}`);
  return password;
}
