import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { inNamespace } from './netns';

export interface DnsmasqOptions {
  binary: string;
  namespace: string;
  /** the interface it serves, and nothing else */
  interface: string;
  range: { first: string; last: string; netmask: string };
  /** lines appended to the base configuration (the `acs dhcp` snippet, …) */
  extra: string;
  /** holds the configuration, the lease file and what the lease script records */
  dir: string;
}

export interface RunningDnsmasq {
  /** file where the lease script writes the TR-111 identity each client sent (dnsmasq's DNSMASQ_CPEWAN_*) */
  tr111File: string;
  /** everything dnsmasq logged */
  log(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const READY = /DHCP, sockets bound exclusively to interface/;

/**
 * dnsmasq as a DHCP server only (port=0 turns DNS off) inside a namespace, in the foreground,
 * logging to stderr. Resolves once it has bound its DHCP socket.
 */
export async function startDnsmasq(o: DnsmasqOptions): Promise<RunningDnsmasq> {
  const config = path.join(o.dir, 'dnsmasq.conf');
  const tr111File = path.join(o.dir, 'tr111-clients');
  const script = path.join(o.dir, 'lease-script.sh');
  // dnsmasq sets DNSMASQ_CPEWAN_* when a client sent a TR-111 identity in option 125.
  writeFileSync(
    script,
    ['#!/bin/sh', `[ "$1" = add ] && printf '%s %s %s\\n' "$DNSMASQ_CPEWAN_OUI" "$DNSMASQ_CPEWAN_SERIAL" "$DNSMASQ_CPEWAN_CLASS" >> '${tr111File}'`, 'exit 0', ''].join('\n'),
    { mode: 0o755 },
  );
  writeFileSync(
    config,
    [
      'port=0',
      'no-resolv',
      'no-hosts',
      `interface=${o.interface}`,
      'bind-interfaces',
      `dhcp-range=${o.range.first},${o.range.last},${o.range.netmask},10m`,
      `dhcp-leasefile=${path.join(o.dir, 'leases')}`,
      `dhcp-script=${script}`,
      `pid-file=${path.join(o.dir, 'dnsmasq.pid')}`,
      'log-facility=-',
      'log-dhcp',
      // the address is fresh on a private link; skip the ICMP probe that delays the first offer
      'no-ping',
      o.extra,
    ].join('\n'),
  );
  const [cmd, args] = inNamespace(o.namespace, o.binary, ['-k', '-C', config]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let ended = false;
  const exited = new Promise<void>((resolve) => {
    const end = () => {
      ended = true;
      resolve();
    };
    child.once('exit', end);
    child.once('error', (err) => {
      output += `\n${err.message}`;
      end();
    });
  });
  const stop = async () => {
    if (ended) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!READY.test(output)) {
    if (ended) throw new Error(`dnsmasq exited before serving DHCP:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dnsmasq did not bind its DHCP socket within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { tr111File, log: () => output, stop };
}
