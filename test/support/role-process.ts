import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** `acs serve --roles ...` running in its own process, as a replica in a deployment would. */
export interface RoleProcess {
  child: ChildProcess;
  /** URL of each started role that listens (and of `metrics`), from its `role.started` line */
  urls: Record<string, string>;
  /** what the process has written so far (stdout and stderr, the last 256 KiB), for failure messages */
  output(): string;
  /** SIGKILL, resolved once the process is gone: a crash, no shutdown of any kind */
  kill(): Promise<void>;
  /** SIGTERM and wait (SIGKILL after `graceMs`) */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `acs serve --roles <roles>` from the sources with only `env` (plus PATH) as its
 * environment; resolves once every role has logged `role.started`, so its ports are known.
 */
export async function startRoleProcess(roles: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<RoleProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', 'serve', '--roles', roles.join(',')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const urls: Record<string, string> = {};
  const waitingFor = new Set([...roles, 'metrics']);
  let output = '';
  let pending = '';
  let started: () => void = () => undefined;
  // Reading the pipes to the end also keeps a chatty process from blocking on a full one.
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-256 * 1024);
    if (waitingFor.size === 0) return;
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const record = parseLine(line);
      if (record?.event !== 'role.started' || typeof record.role !== 'string') continue;
      if (typeof record.url === 'string') urls[record.role] = record.url;
      waitingFor.delete(record.role);
    }
    if (waitingFor.size === 0) started();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`acs serve --roles ${roles.join(',')} ${why}:\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null) => fail(`exited with ${code}`);
    child.once('exit', onExit);
    started = () => {
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      resolve();
    };
  });
  const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    child,
    urls,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 10_000) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
