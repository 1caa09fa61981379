import type { Command } from 'commander';
import { accountCodeProblem } from '../../accounts';
import { apiTarget, callApi, withApiOptions, type ApiFlags } from '../api/client';
import { details, json, table } from '../api/output';
import { UsageError } from '../errors';

interface AccountView {
  account: string;
  parameters: Array<{ name: string; value?: string; secret?: true }>;
  revision: string;
  updatedAt: string;
  phone: { mac: string; serial?: string; model?: string; boundAt: string } | null;
}

function accountPath(code: string, rest = ''): string {
  const problem = accountCodeProblem(code);
  if (problem) throw new UsageError(`account ${JSON.stringify(code)} refused: ${problem}`);
  return `/cisco/accounts/${encodeURIComponent(code)}${rest}`;
}

/** `Name=value` arguments; the first `=` splits, so values may hold more. */
function parseAssignments(args: string[]): Array<{ name: string; value: string }> {
  return args.map((arg) => {
    const at = arg.indexOf('=');
    if (at <= 0) throw new UsageError(`expected Name=value, got ${JSON.stringify(arg)}`);
    return { name: arg.slice(0, at), value: arg.slice(at + 1) };
  });
}

function print(view: AccountView, asJson: boolean | undefined): void {
  if (asJson) return void process.stdout.write(json(view));
  const phone = view.phone ? `${view.phone.mac}${view.phone.model ? ` (${view.phone.model}${view.phone.serial ? ` ${view.phone.serial}` : ''})` : ''} since ${view.phone.boundAt}` : 'none';
  process.stdout.write(details([['account', view.account], ['phone', phone], ['revision', view.revision], ['updated', view.updatedAt]]));
  process.stdout.write(table(['PARAMETER', 'VALUE'], view.parameters.map((p) => [p.name, p.secret ? '(secret)' : (p.value ?? '')])));
}

/** `acs accounts set|show|unbind|delete`: retail accounts and the phones bound to them (S18), through the operator API. */
export function register(program: Command): void {
  const accounts = program.command('accounts').description('retail accounts: line settings a phone gets once it resynced to /cisco-init/<account> (through the operator API)');
  withApiOptions(
    accounts
      .command('set <account> <parameters...>')
      .description('create the account or replace its line settings (Name=value ..., e.g. User_ID_1_=4085551234)')
      .option('--json', 'print JSON'),
  ).action(async (code: string, args: string[], opts: ApiFlags & { json?: boolean }) => {
    const path = accountPath(code);
    print(await callApi<AccountView>(apiTarget(opts), 'PUT', path, { parameters: parseAssignments(args) }), opts.json);
  });
  withApiOptions(accounts.command('show <account>').description('the account, its line settings (secrets hidden) and its phone').option('--json', 'print JSON')).action(async (code: string, opts: ApiFlags & { json?: boolean }) => {
    const path = accountPath(code);
    print(await callApi<AccountView>(apiTarget(opts), 'GET', path), opts.json);
  });
  withApiOptions(accounts.command('unbind <account>').description('undo the binding of its phone (the phone may then bind again, to this account or another)')).action(async (code: string, opts: ApiFlags) => {
    const path = accountPath(code, '/binding');
    await callApi(apiTarget(opts), 'DELETE', path);
    process.stdout.write(`account ${code}: its phone is unbound\n`);
  });
  withApiOptions(accounts.command('delete <account>').description('delete the account and its binding')).action(async (code: string, opts: ApiFlags) => {
    const path = accountPath(code);
    await callApi(apiTarget(opts), 'DELETE', path);
    process.stdout.write(`account ${code} deleted\n`);
  });
}
