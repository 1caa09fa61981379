import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { apiTarget, callApi, checkObjectId, devicePath, withApiOptions, type ApiFlags } from '../api/client';
import { json, table } from '../api/output';
import { parseRpc, RPC_SHORTCUTS } from '../api/rpc-args';
import { CliError, EXIT, UsageError } from '../errors';

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
  const rpcHelp = `RPCs:\n${Object.entries(RPC_SHORTCUTS).map(([k, v]) => `  ${k.padEnd(14)} ${v}`).join('\n')}`;
  withApiOptions(
    taskOptions(tasks.command('add <deviceId> <rpc> [args...]').description(`queue an RPC for a device. ${rpcHelp}`)),
  ).action(async (deviceId: string, method: string, args: string[], opts: ApiFlags & TaskFlags) => {
    const task = await callApi<TaskView>(apiTarget(opts), 'POST', `${devicePath(deviceId)}/tasks`, taskBody(method, args, opts));
    process.stdout.write(opts.json ? json(task) : `task ${task.id} queued for ${task.deviceId} (${task.rpc.method}${task.connectionRequest ? ', waking the device' : ''})\n`);
  });
  withApiOptions(
    taskOptions(
      tasks
        .command('add-many <rpc> [args...]')
        .description(`queue one RPC for many devices in one request (at most 10,000; for more, paced, use acs jobs create). ${rpcHelp}`)
        .option('--devices <ids>', 'comma-separated device ids')
        .option('--devices-file <file>', 'a file of device ids, one per line (- for stdin)'),
    ),
  ).action(async (method: string, args: string[], opts: ApiFlags & TaskFlags & { devices?: string; devicesFile?: string }) => {
    const deviceIds = listedDevices(opts);
    const result = await callApi<{ items: Array<{ deviceId: string; taskId: string }>; unknownDevices: string[] }>(apiTarget(opts), 'POST', '/tasks', { deviceIds, ...taskBody(method, args, opts) });
    process.stdout.write(opts.json ? json(result) : `${result.items.length} task(s) queued (${method})\n`);
    if (result.unknownDevices.length) {
      throw new CliError(`${result.unknownDevices.length} device(s) do not exist, no task queued for them: ${result.unknownDevices.slice(0, 20).join(', ')}${result.unknownDevices.length > 20 ? ', ...' : ''}`, EXIT.partial);
    }
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

interface TaskFlags {
  rpc?: string;
  connectionRequest?: boolean;
  expiresIn?: string;
  json?: boolean;
}

function taskOptions(command: Command): Command {
  return command
    .option('--rpc <json>', "the RPC's arguments as JSON (with a CWMP method name as <rpc>)")
    .option('--connection-request', 'wake the device now')
    .option('--expires-in <seconds>', 'expire the task if not sent by then')
    .option('--json', 'print JSON');
}

/** The request body of a task, from the command line. */
function taskBody(method: string, args: string[], opts: TaskFlags): Record<string, unknown> {
  const body: Record<string, unknown> = { rpc: parseRpc(method, args, opts.rpc), connectionRequest: !!opts.connectionRequest };
  if (opts.expiresIn !== undefined) {
    if (!/^\d+$/.test(opts.expiresIn)) throw new UsageError(`--expires-in must be a number of seconds, got ${JSON.stringify(opts.expiresIn)}`);
    body.expiresIn = Number(opts.expiresIn);
  }
  return body;
}

/** The device ids of --devices and --devices-file (blank lines and surrounding spaces ignored). */
function listedDevices(opts: { devices?: string; devicesFile?: string }): string[] {
  if ((opts.devices === undefined) === (opts.devicesFile === undefined)) throw new UsageError('give exactly one of --devices and --devices-file');
  let text = opts.devices ?? '';
  if (opts.devicesFile !== undefined) {
    try {
      text = readFileSync(opts.devicesFile === '-' ? 0 : opts.devicesFile, 'utf8');
    } catch (err) {
      throw new UsageError(`--devices-file ${opts.devicesFile}: ${(err as Error).message}`);
    }
  }
  const ids = text.split(opts.devices !== undefined ? ',' : /\r?\n/).map((id) => id.trim()).filter(Boolean);
  if (!ids.length) throw new UsageError(`${opts.devices !== undefined ? '--devices' : '--devices-file'} lists no device`);
  return ids;
}
