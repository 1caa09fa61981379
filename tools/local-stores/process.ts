import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../src/stores/errors';
import type { StoreLog } from '../../src/stores/local-stores';

export type { StoreLog };
export const stderrLog: StoreLog = (message) => process.stderr.write(`${message}\n`);

/** The first executable called `name` on PATH, then in `extraDirs`. */
export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A port the OS just handed out on loopback; the caller binds it right away. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Keeps the last lines a child printed, to explain why it failed. */
class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';
  constructor(
    private readonly max: number,
    private readonly onLine?: (line: string) => void,
  ) {}
  push(chunk: Buffer): void {
    const parts = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }
  private add(line: string): void {
    this.onLine?.(line);
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  text(): string {
    return [...this.lines, this.partial].filter(Boolean).join('\n');
  }
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
}

/** Runs a command to completion; resolves to its stdout, rejects with its output tail. */
export function runCommand(cmd: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const tail = new OutputTail(40, options.onLine);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    child.once('error', (err) => reject(new Error(`cannot run ${cmd}: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail.text()}`));
    });
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills what is still running when this process exits normally or through process.exit(). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGTERM');
  });
}

export interface Service {
  name: string;
  child: ChildProcess;
  /** set once it answered; an exit after that is reported on the log */
  ready: boolean;
  /** what it printed last, for error messages */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within the grace period */
  stop(): Promise<void>;
}

const SETPRIV = findExecutable('setpriv');

/**
 * Starts a long-running store process. It gets its own process group so a Ctrl-C in the
 * terminal reaches only the ACS, which stops its stores after draining; `setpriv
 * --pdeathsig` makes the kernel end it if the ACS itself dies without cleaning up.
 */
export function startService(name: string, cmd: string, args: string[], cwd: string, log: StoreLog): Service {
  installExitHook();
  const [file, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'TERM', '--', cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new OutputTail(30);
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  let stopping = false;
  live.add(child);
  child.once('error', (err) => log(`${name}: cannot start ${cmd}: ${err.message}`));
  child.once('exit', (code, signal) => {
    live.delete(child);
    if (service.ready && !stopping) log(`${name} exited unexpectedly (${signal ?? `exit ${code}`}); last output:\n${tail.text()}`);
  });
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as net.Socket | null)?.unref();
  const service: Service = {
    name,
    child,
    ready: false,
    output: () => tail.text(),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // The child is unref'd so it never holds the process open; while we wait for it, it must,
      // or a caller with nothing else pending (jest's global teardown) exits early with code 0.
      child.ref();
      child.kill('SIGTERM');
      const graceOver = new AbortController();
      const grace = sleep(10_000, 'timeout', { signal: graceOver.signal }).catch(() => 'exited');
      try {
        if ((await Promise.race([exited, grace])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      } finally {
        graceOver.abort();
      }
    },
  };
  return service;
}

/**
 * Polls `probe` until it answers, the service exits (its output is in the error) or the
 * deadline passes.
 */
export async function waitUntilReady(service: Service, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = service.child;
    if (exitCode !== null || signalCode !== null) {
      throw new StoreError(`${service.name} exited at start (${signalCode ?? `exit ${exitCode}`}):\n${service.output()}`);
    }
    if (await probe()) {
      service.ready = true;
      return;
    }
    await sleep(200);
  }
  await service.stop();
  throw new StoreError(`${service.name} did not answer within ${timeoutMs / 1000} s:\n${service.output()}`);
}
