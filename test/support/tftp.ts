import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decode, encodeRequest, type Packet } from '../../src/tftp/packet';
import { aptInstall } from './apt';

/**
 * Real TFTP clients for the tftp role's tests: Debian's tftp-hpa (`tftp`) and atftp (which
 * sends RFC 2347 options), installed with apt-get when missing, as browser.ts installs chromium.
 */
const CLIENTS = { '/usr/bin/tftp': 'tftp-hpa', '/usr/bin/atftp': 'atftp' } as const;

export function ensureTftpClients(): void {
  const missing = Object.entries(CLIENTS).filter(([bin]) => spawnSync('test', ['-x', bin]).status !== 0).map(([, pkg]) => pkg);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new Error(`${missing.join(', ')} missing: run \`apt-get install -y ${missing.join(' ')}\` as root`);
  if (!aptInstall(missing)) throw new Error(`could not install ${missing.join(', ')} with apt-get`);
}

export interface Fetched {
  ok: boolean;
  data: Buffer;
  /** what the client printed (errors, and with atftp --trace the packets) */
  output: string;
}

function run(command: string, args: string[], local: string, dir: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, timeout: 60_000 });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let data = Buffer.alloc(0);
      try {
        data = readFileSync(local);
      } catch {
        // nothing received
      }
      rmSync(dir, { recursive: true, force: true });
      // tftp-hpa exits 0 even on an error packet: its message is the signal.
      resolve({ ok: code === 0 && !/Error code|error|timed out|aborting/i.test(output), data, output });
    });
  });
}

/** `atftp --get` with RFC 2347 options (`{ blksize: '1024', tsize: '0' }`), traced. */
export function atftpGet(port: number, remote: string, options: Record<string, string> = {}): Promise<Fetched> {
  const dir = mkdtempSync(path.join(tmpdir(), 'acs-tftp-'));
  const local = path.join(dir, 'out');
  const opts = Object.entries(options).flatMap(([k, v]) => ['--option', `${k} ${v}`]);
  return run('/usr/bin/atftp', ['--trace', '--tftp-timeout', '1', ...opts, '--get', '-r', remote, '-l', local, '127.0.0.1', String(port)], local, dir);
}

/** tftp-hpa, binary mode, one command (`get NAME` or `put NAME`). */
export function tftpHpa(port: number, command: 'get' | 'put', remote: string, upload?: Buffer): Promise<Fetched> {
  const dir = mkdtempSync(path.join(tmpdir(), 'acs-tftp-'));
  const local = path.join(dir, 'file');
  if (upload) writeFileSync(local, upload);
  return run('/usr/bin/tftp', ['-v', '-m', 'binary', '127.0.0.1', String(port), '-c', command, ...(command === 'get' ? [remote, local] : [local, remote])], local, dir);
}

/** A hand-driven client that sends a read request and records what comes back, acking nothing. */
export class SilentClient {
  readonly socket = dgram.createSocket('udp4');
  readonly received: Array<{ packet: Packet; port: number }> = [];
  private waiters: Array<() => void> = [];

  async open(): Promise<this> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.socket.on('message', (msg, from) => {
      this.received.push({ packet: decode(msg), port: from.port });
      for (const w of this.waiters.splice(0)) w();
    });
    return this;
  }

  request(port: number, filename: string, options: Record<string, string> = {}): void {
    this.socket.send(encodeRequest({ kind: 'read', filename, mode: 'octet', options }), port, '127.0.0.1');
  }

  /** Resolves once a received packet satisfies `test` (bounded by `ms`). */
  async until(test: (p: Packet) => boolean, ms = 30_000): Promise<Packet> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.received.find((r) => test(r.packet));
      if (hit) return hit.packet;
      if (Date.now() > deadline) throw new Error(`no such packet within ${ms} ms; got ${JSON.stringify(this.received.map((r) => r.packet.op))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  send(packet: Buffer, port: number): void {
    this.socket.send(packet, port, '127.0.0.1');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
