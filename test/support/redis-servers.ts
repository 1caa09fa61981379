import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { aptInstall } from './apt';

/**
 * Real Redis deployments for the Sentinel and Cluster tests: `redis-server` processes on free
 * loopback ports, each in a temporary directory, killed by `close`. Debian's redis-server,
 * redis-tools and redis-sentinel are installed with apt-get when missing (as root).
 */
const PACKAGES = { 'redis-server': 'redis-server', 'redis-cli': 'redis-tools', 'redis-sentinel': 'redis-sentinel' } as const;
const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

/** Why these tests cannot run here, or undefined once the binaries are present. */
export function redisServersBlocker(): string | undefined {
  const missing = Object.entries(PACKAGES).filter(([bin]) => !has(bin)).map(([, pkg]) => pkg);
  if (missing.length && process.getuid?.() === 0) aptInstall(missing, { quiet: true });
  // redis-sentinel is redis-server under another name: `redis-server --sentinel` does without it
  const still = ['redis-server', 'redis-cli'].filter((bin) => !has(bin));
  return still.length ? `${still.join(' and ')} missing and not installable with apt-get (run \`apt-get install -y redis-server redis-tools\` as root)` : undefined;
}

/** A free loopback port whose cluster bus port (port + 10000) is free too. */
async function freePort(): Promise<number> {
  const listen = (port: number) =>
    new Promise<net.Server | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await listen(0);
    const port = (first?.address() as net.AddressInfo | undefined)?.port ?? 0;
    const bus = port > 0 && port < 55535 ? await listen(port + 10000) : undefined;
    await Promise.all([first, bus].map((s) => new Promise((r) => (s ? s.close(r) : r(undefined)))));
    if (bus) return port;
  }
  throw new Error('no free loopback port pair found');
}

class Processes {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'acs-redis-'));
  private readonly children: ChildProcess[] = [];

  /** Starts redis-server (or a sentinel) with these settings; resolves once it answers PING. */
  async start(settings: string[], sentinel = false): Promise<number> {
    const port = await freePort();
    const dir = mkdtempSync(path.join(this.dir, `${port}-`));
    const conf = path.join(dir, 'redis.conf');
    writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'save ""', 'appendonly no', 'protected-mode no', ...settings].join('\n') + '\n');
    const [bin, args] = sentinel && has('redis-sentinel') ? ['redis-sentinel', [conf]] : ['redis-server', sentinel ? [conf, '--sentinel'] : [conf]];
    const child = spawn(bin, args, { stdio: 'ignore' });
    this.children.push(child);
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`${bin} on port ${port} exited with ${child.exitCode}`);
        if ((await client.ping().catch(() => '')) === 'PONG') return port;
        if (i > 200) throw new Error(`${bin} on port ${port} did not answer within 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      client.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls `check` every 100 ms until it returns true; bounded in time. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface SentinelSet {
  /** REDIS_URL of the set */
  url: string;
  name: string;
  /** the port of the current master, as the sentinels tell it */
  masterPort(): Promise<number>;
  /** SENTINEL FAILOVER; resolves once every sentinel names the replica as master and it takes writes */
  failover(): Promise<number>;
  close(): Promise<void>;
}

/** A master, one replica and three sentinels (quorum 2). */
export async function startSentinelSet(name = 'acs-ha'): Promise<SentinelSet> {
  const processes = new Processes();
  const sentinels: Redis[] = [];
  try {
    const master = await processes.start([]);
    const replica = await processes.start([`replicaof 127.0.0.1 ${master}`]);
    const watch = [`sentinel monitor ${name} 127.0.0.1 ${master} 2`, `sentinel down-after-milliseconds ${name} 3000`, `sentinel failover-timeout ${name} 10000`, 'sentinel resolve-hostnames no'];
    const ports = [await processes.start(watch, true), await processes.start(watch, true), await processes.start(watch, true)];
    sentinels.push(...ports.map((port) => new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 })));
    const nodes = new Map([master, replica].map((port) => [port, new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 })]));
    const masterPort = async (s = sentinels[0]) => Number(((await s.call('SENTINEL', 'get-master-addr-by-name', name)) as string[])[1]);
    const role = async (port: number) => ((await nodes.get(port)!.call('ROLE')) as string[])[0];
    await until('the replica syncing', async () => ((await nodes.get(replica)!.info('replication')).includes('master_link_status:up')));
    // every sentinel has found the replica and the other sentinels: a fail-over can be voted
    await until('the sentinels meeting', async () => {
      const seen = await Promise.all(sentinels.map(async (s) => [((await s.call('SENTINEL', 'replicas', name)) as unknown[]).length, ((await s.call('SENTINEL', 'sentinels', name)) as unknown[]).length]));
      return seen.every(([r, o]) => r === 1 && o === 2);
    });
    return {
      url: `redis+sentinel://${ports.map((p) => `127.0.0.1:${p}`).join(',')}/${name}`,
      name,
      masterPort,
      async failover() {
        const before = await masterPort();
        const after = before === master ? replica : master;
        await sentinels[0].call('SENTINEL', 'FAILOVER', name);
        await until('the fail-over', async () => (await Promise.all(sentinels.map((s) => masterPort(s)))).every((p) => p === after) && (await role(after)) === 'master');
        return after;
      },
      async close() {
        for (const c of [...sentinels, ...nodes.values()]) c.disconnect();
        await processes.close();
      },
    };
  } catch (err) {
    for (const s of sentinels) s.disconnect();
    await processes.close();
    throw err;
  }
}

export interface RedisClusterSet {
  /** REDIS_URL of the cluster */
  url: string;
  ports: number[];
  close(): Promise<void>;
}

/** Three masters sharing the 16,384 slots, made with `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<RedisClusterSet> {
  const processes = new Processes();
  try {
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) ports.push(await processes.start(['cluster-enabled yes', 'cluster-config-file nodes.conf', 'cluster-node-timeout 5000']));
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 60_000 });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    const clients = ports.map((port) => new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 }));
    try {
      await until('the cluster agreeing', async () => (await Promise.all(clients.map((c) => c.call('CLUSTER', 'INFO') as Promise<string>))).every((info) => info.includes('cluster_state:ok') && info.includes('cluster_known_nodes:3')));
    } finally {
      for (const c of clients) c.disconnect();
    }
    return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, close: () => processes.close() };
  } catch (err) {
    await processes.close();
    throw err;
  }
}
