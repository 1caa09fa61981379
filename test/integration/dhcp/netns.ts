import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A small routed network for the DHCP discovery test, in network namespaces of this run:
 *
 *   root namespace (the ACS) --veth-- "gw" namespace (DHCP server, router) --veth-- "phone" namespace
 *   198.18.N.1/30                     198.18.N.2/30 | 198.19.N.1/24           eth0: address from DHCP
 *
 * Addresses come from 198.18.0.0/15, the block reserved for network benchmarks (RFC 2544), so
 * they do not clash with real networks. Names and the subnet number N carry this process's
 * pid, so two test runs on one machine do not meet; a run removes the namespaces and
 * temporary directories of runs whose process is gone (they crashed before cleaning up).
 */

const run = promisify(execFile);

const NAME_PREFIX = 'acs-dhcp-e2e-';
const RUN_PID = /^acs-dhcp-e2e-(\d+)-/;
const COMMAND_TIMEOUT_MS = 10_000;

export interface Topology {
  /** namespace of the DHCP server and router */
  gw: string;
  /** namespace of the phone */
  phone: string;
  /** the phone's interface toward the gateway */
  phoneInterface: string;
  /** the gateway's interface toward the phone, where the DHCP server listens */
  gwLanInterface: string;
  /** address of the root namespace's end, where the ACS listens */
  acsAddress: string;
  /** the phone LAN: the gateway's address on it and the range the DHCP server hands out */
  lan: { gateway: string; first: string; last: string; netmask: string };
}

/** Runs a command with a bounded wait; the error carries its stderr. */
export async function exec(cmd: string, args: string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { timeout: timeoutMs });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
  }
}

/** The command line that runs `cmd` inside namespace `ns`. */
export function inNamespace(ns: string, cmd: string, args: string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', ns, cmd, ...args]];
}

/**
 * Why this process cannot create network namespaces, or undefined when it can. Synchronous,
 * so a test can decide at collection time whether to run.
 */
export function namespaceBlocker(): string | undefined {
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  const probe = `${NAME_PREFIX}${process.pid}-probe`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe', timeout: COMMAND_TIMEOUT_MS });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer; message: string };
    // Without iproute2 the test installs it; only a refusal from the kernel stops it.
    if (e.code === 'ENOENT') return undefined;
    return `cannot create a network namespace: ${e.stderr?.toString().trim() || e.message}`;
  }
  try {
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe', timeout: COMMAND_TIMEOUT_MS });
  } catch {
    // removed meanwhile by another run's leftover sweep
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function namespaces(): Promise<string[]> {
  return (await exec('ip', ['netns', 'list'])).split('\n').map((line) => line.split(' ')[0]).filter((n) => n.startsWith(NAME_PREFIX));
}

/** Kills what still runs inside a namespace of ours (a DHCP server a crashed run left), then deletes it. */
async function removeNamespace(ns: string): Promise<void> {
  const pids = (await exec('ip', ['netns', 'pids', ns]).catch(() => '')).split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await exec('ip', ['netns', 'del', ns]).catch(() => undefined);
}

function leftOver(name: string): boolean {
  const pid = Number(RUN_PID.exec(name)?.[1] ?? NaN);
  return Number.isNaN(pid) || pid === process.pid || !alive(pid);
}

/**
 * Removes what runs whose process is gone left behind: namespaces (and with them the veths
 * and the root route) and temporary directories.
 */
export async function removeLeftovers(): Promise<void> {
  for (const ns of await namespaces()) if (leftOver(ns)) await removeNamespace(ns);
  for (const entry of readdirSync(tmpdir())) {
    if (entry.startsWith(NAME_PREFIX) && leftOver(entry)) rmSync(path.join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** A temporary directory for this run's files, named so a later run can spot it as a leftover. */
export function makeRunDir(): string {
  return mkdtempSync(path.join(tmpdir(), `${NAME_PREFIX}${process.pid}-`));
}

/** A subnet number N that no address or route of the root namespace uses yet. */
async function freeSubnet(): Promise<number> {
  const used = (await exec('ip', ['-4', '-o', 'addr', 'show'])) + (await exec('ip', ['-4', 'route', 'show']));
  for (let i = 0; i < 256; i++) {
    const n = (process.pid + i) % 256;
    if (!used.includes(`198.18.${n}.`) && !used.includes(`198.19.${n}.`)) return n;
  }
  throw new Error('every 198.18.N.0 subnet is in use');
}

export async function createTopology(): Promise<Topology> {
  const id = process.pid;
  const gw = `${NAME_PREFIX}${id}-gw`;
  const phone = `${NAME_PREFIX}${id}-phone`;
  const rootLink = `acsdhcp${id}`;
  const n = await freeSubnet();
  const t: Topology = {
    gw,
    phone,
    phoneInterface: 'eth0',
    gwLanInterface: 'lan0',
    acsAddress: `198.18.${n}.1`,
    lan: { gateway: `198.19.${n}.1`, first: `198.19.${n}.100`, last: `198.19.${n}.149`, netmask: '255.255.255.0' },
  };
  const steps: Array<[string, string[]]> = [
    ['ip', ['netns', 'add', gw]],
    ['ip', ['netns', 'add', phone]],
    ['ip', ['link', 'add', rootLink, 'type', 'veth', 'peer', 'name', 'wan0', 'netns', gw]],
    ['ip', ['-n', gw, 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', t.phoneInterface, 'netns', phone]],
    ['ip', ['addr', 'add', `${t.acsAddress}/30`, 'dev', rootLink]],
    ['ip', ['link', 'set', rootLink, 'up']],
    ['ip', ['-n', gw, 'addr', 'add', `198.18.${n}.2/30`, 'dev', 'wan0']],
    ['ip', ['-n', gw, 'addr', 'add', `${t.lan.gateway}/24`, 'dev', 'lan0']],
    ['ip', ['-n', gw, 'link', 'set', 'lo', 'up']],
    ['ip', ['-n', gw, 'link', 'set', 'wan0', 'up']],
    ['ip', ['-n', gw, 'link', 'set', 'lan0', 'up']],
    inNamespace(gw, 'sh', ['-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']),
    ['ip', ['-n', phone, 'link', 'set', 'lo', 'up']],
    ['ip', ['-n', phone, 'link', 'set', t.phoneInterface, 'up']],
    // the way back to the phone LAN; it goes away with the veth
    ['ip', ['route', 'add', `198.19.${n}.0/24`, 'via', `198.18.${n}.2`, 'dev', rootLink]],
  ];
  try {
    for (const [cmd, args] of steps) await exec(cmd, args);
  } catch (err) {
    await destroyTopology(t);
    throw err;
  }
  return t;
}

/** Deletes both namespaces; the veths, their addresses and the root route go with them. */
export async function destroyTopology(t: Pick<Topology, 'gw' | 'phone'>): Promise<void> {
  await removeNamespace(t.phone);
  await removeNamespace(t.gw);
}
