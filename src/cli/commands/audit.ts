import type { Command } from 'commander';
import { apiTarget, callApi, withApiOptions, type ApiFlags } from '../api/client';
import { integerFlag } from '../api/flags';
import { json, table } from '../api/output';
import { UsageError } from '../errors';

interface AuditEntry {
  id: string;
  at: string;
  actor: { tokenId: string; name: string; role: string };
  action: string;
  target?: string;
  status: number;
}

/** `acs audit`: who did what, when, to what (admin tokens only). */
export function register(program: Command): void {
  withApiOptions(
    program
      .command('audit')
      .description('the audit log, newest first (needs an admin token)')
      .option('--actor <tokenId>', 'by this token (16 hex digits, see `acs token list`)')
      .option('--action <action>', 'e.g. job.create, device.tag')
      .option('--target <id>', 'on this device, task, job or token')
      .option('--limit <n>', 'entries per page (at most 1000)')
      .option('--cursor <cursor>', 'the page after this cursor')
      .option('--json', 'print JSON'),
  ).action(async (opts: ApiFlags & { actor?: string; action?: string; target?: string; limit?: string; cursor?: string; json?: boolean }) => {
    const q = new URLSearchParams();
    if (opts.actor !== undefined) {
      if (!/^[0-9a-f]{16}$/.test(opts.actor)) throw new UsageError(`--actor must be a token id (16 hex digits, see \`acs token list\`), got ${JSON.stringify(opts.actor)}`);
      q.set('actor', opts.actor);
    }
    if (opts.action) q.set('action', opts.action);
    if (opts.target) q.set('target', opts.target);
    if (opts.limit !== undefined) q.set('limit', String(integerFlag('--limit', opts.limit, 1, 1000)));
    if (opts.cursor) q.set('cursor', opts.cursor);
    const page = await callApi<{ items: AuditEntry[]; nextCursor: string | null }>(apiTarget(opts), 'GET', `/audit${q.size ? `?${q}` : ''}`);
    if (opts.json) return void process.stdout.write(json(page));
    process.stdout.write(table(['AT', 'WHO', 'ACTION', 'TARGET', 'STATUS'], page.items.map((a) => [a.at, `${a.actor.name} (${a.actor.role})`, a.action, a.target, a.status])));
    if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
  });
}
