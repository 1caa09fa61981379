import type { Command } from 'commander';
import { apiTarget, callApi, checkObjectId, devicePath, withApiOptions, type ApiFlags } from '../api/client';
import { forEach } from '../api/bulk';
import { json, table } from '../api/output';
import { integerFlag } from '../api/flags';
import type { TaskView } from './tasks';

interface ListFlags extends ApiFlags {
  device?: string;
  job?: string;
  code?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

/** `acs faults list|retry|clear`: tasks that ended in a fault, through the operator API. */
export function register(program: Command): void {
  const faults = program.command('faults').description('tasks that ended in a fault and no one cleared yet (through the operator API)');
  withApiOptions(
    faults
      .command('list')
      .description('faults, newest first')
      .option('--device <deviceId>', 'of this device')
      .option('--job <jobId>', 'of this bulk job')
      .option('--code <code>', 'CWMP fault code (9xxx) or ACS code (e.g. version_mismatch)')
      .option('--limit <n>', 'faults per page (at most 1000)')
      .option('--cursor <cursor>', 'the page after this cursor')
      .option('--json', 'print JSON'),
  ).action(async (opts: ListFlags) => {
    const q = new URLSearchParams();
    if (opts.job) q.set('jobId', checkObjectId('--job', opts.job));
    if (opts.code) q.set('code', opts.code);
    if (opts.limit !== undefined) q.set('limit', String(integerFlag('--limit', opts.limit, 1, 1000)));
    if (opts.cursor) q.set('cursor', opts.cursor);
    const base = opts.device ? `${devicePath(opts.device)}/faults` : '/faults';
    const page = await callApi<{ items: TaskView[]; nextCursor: string | null }>(apiTarget(opts), 'GET', `${base}${q.size ? `?${q}` : ''}`);
    if (opts.json) return void process.stdout.write(json(page));
    process.stdout.write(table(['TASK', 'DEVICE', 'RPC', 'FAULT', 'AT'], page.items.map((t) => [t.id, t.deviceId, t.rpc.method, t.fault ? `${t.fault.code} ${t.fault.message}` : '', (t as { completedAt?: string }).completedAt ?? t.createdAt])));
    if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
  });
  withApiOptions(
    faults
      .command('retry <taskIds...>')
      .description('queue faulted tasks again')
      .option('--connection-request', 'wake the devices now'),
  ).action(async (ids: string[], opts: ApiFlags & { connectionRequest?: boolean }) => {
    for (const id of ids) checkObjectId('task id', id);
    const target = apiTarget(opts);
    await forEach(ids, (id) => callApi(target, 'POST', `/faults/${id}/retry`, { connectionRequest: !!opts.connectionRequest }), 'queued again');
  });
  withApiOptions(faults.command('clear <taskIds...>').description('clear faults from the fault lists (the tasks keep their outcome)')).action(async (ids: string[], opts: ApiFlags) => {
    for (const id of ids) checkObjectId('task id', id);
    const target = apiTarget(opts);
    await forEach(ids, (id) => callApi(target, 'DELETE', `/faults/${id}`), 'cleared');
  });
}
