import type { Command } from 'commander';
import { isApiRole, API_ROLES } from '../../auth';
import { json, table } from '../api/output';
import { withStores } from '../db';
import { UsageError } from '../errors';

const NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * `acs token create|list|revoke`: API tokens, managed straight in MongoDB (MONGODB_URL, or the
 * local stores `npm start` runs), so the first admin token needs no API access.
 */
export function register(program: Command): void {
  const token = program.command('token').description('API tokens for the operator API (stored hashed)');
  token
    .command('create')
    .description('create a token and print it (only this once) on stdout')
    .requiredOption('--name <name>', 'who or what uses the token (letters, digits, _ . @ -)')
    .requiredOption('--role <role>', `one of ${API_ROLES.join(', ')}`)
    .option('--json', 'print id, name, role and token as JSON')
    .action(async (opts: { name: string; role: string; json?: boolean }) => {
      if (!NAME.test(opts.name)) throw new UsageError(`--name ${JSON.stringify(opts.name)} must be 1-64 letters, digits or _ . @ -`);
      if (!isApiRole(opts.role)) throw new UsageError(`--role must be one of ${API_ROLES.join(', ')}, got ${JSON.stringify(opts.role)}`);
      const role = opts.role;
      const created = await withStores((stores) => stores.tokens.create({ name: opts.name, role, createdBy: 'cli' }));
      if (opts.json) {
        process.stdout.write(json({ id: created.doc._id, name: created.doc.name, role: created.doc.role, token: created.token }));
        return;
      }
      process.stderr.write(`token ${created.doc._id} (${created.doc.name}, ${created.doc.role}) created; it is shown only now:\n`);
      process.stdout.write(`${created.token}\n`);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const tokens = await withStores((stores) => stores.tokens.list());
      if (opts.json) return void process.stdout.write(json(tokens.map(({ _id, ...t }) => ({ id: _id, ...t }))));
      process.stdout.write(table(['ID', 'NAME', 'ROLE', 'CREATED', 'BY', 'REVOKED'], tokens.map((t) => [t._id, t.name, t.role, t.createdAt.toISOString(), t.createdBy, t.revokedAt?.toISOString()])));
    });
  token
    .command('revoke <id>')
    .description('revoke a token: the API refuses it from its next request on')
    .action(async (id: string) => {
      if (!/^[0-9a-f]{16}$/.test(id)) throw new UsageError(`${JSON.stringify(id)} is not a token id (16 hex digits, see \`acs token list\`)`);
      if (!(await withStores((stores) => stores.tokens.revoke(id)))) throw new UsageError(`no active token ${id}`);
      process.stdout.write(`token ${id} revoked\n`);
    });
}
