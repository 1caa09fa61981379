import type { Command } from 'commander';
import { apiTarget, callApi, checkObjectId, devicePath, withApiOptions, type ApiFlags } from '../api/client';
import { json, table } from '../api/output';
import { parseRpc, RPC_SHORTCUTS } from '../api/rpc-args';
import { UsageError } from '../errors';

export interface TaskView {
  id: string;
  deviceId: string;
  rpc: { method: string };
  status: string;
  createdAt: string;
  result?: { parameterList?: Array<{ name: string; value: unknown }> };
  fault?: { code: unknown; message: string };
  connectionRequest?: { status: string; message?: string };
}

/** `acs tasks add|get|cancel` against the operator API. */
export function register(program: Command): void {
  const tasks = program.command('tasks').description('RPCs queued for one device (through the operator API)');
  withApiOptions(
    tasks
      .command('add <deviceId> <rpc> [args...]')
      .description(`queue an RPC for a device. RPCs:\n${Object.entries(RPC_SHORTCUTS).map(([k, v]) => `  ${k.padEnd(14)} ${v}`).join('\n')}`)
      .option('--rpc <json>', 'the RPC\'s arguments as JSON (with a CWMP method name as <rpc>)')
      .option('--connection-request', 'wake the device now')
      .option('--expires-in <seconds>', 'expire the task if not sent by then')
      .option('--json', 'print JSON'),
  ).action(async (deviceId: string, method: string, args: string[], opts: ApiFlags & { rpc?: string; connectionRequest?: boolean; expiresIn?: string; json?: boolean }) => {
    const rpc = parseRpc(method, args, opts.rpc);
    const body: Record<string, unknown> = { rpc, connectionRequest: !!opts.connectionRequest };
    if (opts.expiresIn !== undefined) {
      if (!/^\d+$/.test(opts.expiresIn)) throw new UsageError(`--expires-in must be a number of seconds, got ${JSON.stringify(opts.expiresIn)}`);
      body.expiresIn = Number(opts.expiresIn);
    }
    const task = await callApi<TaskView>(apiTarget(opts), 'POST', `${devicePath(deviceId)}/tasks`, body);
    process.stdout.write(opts.json ? json(task) : `task ${task.id} queued for ${task.deviceId} (${task.rpc.method}${task.connectionRequest ? ', waking the device' : ''})\n`);
  });
  withApiOptions(tasks.command('get <taskId>').description('a task and its outcome').option('--json', 'print JSON')).action(async (id: string, opts: ApiFlags & { json?: boolean }) => {
    const task = await callApi<TaskView>(apiTarget(opts), 'GET', `/tasks/${checkObjectId('task id', id)}`);
    if (opts.json) return void process.stdout.write(json(task));
    process.stdout.write(table(['TASK', 'DEVICE', 'RPC', 'STATUS', 'WAKE', 'FAULT'], [[task.id, task.deviceId, task.rpc.method, task.status, task.connectionRequest?.status, task.fault ? `${task.fault.code} ${task.fault.message}` : '']]));
    const values = task.result?.parameterList ?? [];
    if (values.length) process.stdout.write(table(['PARAMETER', 'VALUE'], values.map((p) => [p.name, p.value])));
  });
  withApiOptions(tasks.command('cancel <taskId>').description('cancel a task that was not sent yet')).action(async (id: string, opts: ApiFlags) => {
    const task = await callApi<TaskView>(apiTarget(opts), 'POST', `/tasks/${checkObjectId('task id', id)}/cancel`);
    process.stdout.write(`task ${task.id} ${task.status}\n`);
  });
}
