import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exec, inNamespace } from './netns';

export interface LeaseRequest {
  binary: string;
  namespace: string;
  interface: string;
  /** option 60 */
  vendorClass: string;
  /** options to ask for (option 55) */
  request: number[];
  /** options to send, by code */
  send: Record<number, Buffer>;
  /** where the event script and the lease it records go */
  dir: string;
}

export interface Lease {
  ip: string;
  /** prefix length */
  mask: number;
  router: string;
  /** data of the requested options the server sent (udhcpc hands unknown ones over as hex) */
  options: Map<number, Buffer>;
}

const LEASE_TIMEOUT_MS = 20_000;

/**
 * Obtains one lease with BusyBox udhcpc in the foreground (-f), quitting once bound (-q) or
 * after 3 unanswered discovers (-n). Its event script configures the address and default
 * route, as a phone's DHCP client would, and records the lease for the test.
 */
export async function obtainLease(r: LeaseRequest): Promise<Lease> {
  const leaseFile = path.join(r.dir, 'lease');
  const script = path.join(r.dir, 'udhcpc-script.sh');
  const recorded = r.request.map((code) => `opt${code}=%s`).join('\\n');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      '# udhcpc runs this with the event as $1 and the lease in the environment.',
      'case "$1" in',
      '  bound|renew)',
      '    ip addr replace "$ip/$mask" dev "$interface" || exit 1',
      '    if [ -n "$router" ]; then ip route replace default via "${router%% *}" dev "$interface" || exit 1; fi',
      `    printf 'ip=%s\\nmask=%s\\nrouter=%s\\n${recorded}\\n' "$ip" "$mask" "$router" ${r.request.map((c) => `"$opt${c}"`).join(' ')} > '${leaseFile}'`,
      '    ;;',
      'esac',
      'exit 0',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const args = ['-f', '-q', '-n', '-t', '3', '-T', '2', '-i', r.interface, '-V', r.vendorClass, '-s', script];
  for (const code of r.request) args.push('-O', String(code));
  for (const [code, data] of Object.entries(r.send)) args.push('-x', `0x${Number(code).toString(16)}:${data.toString('hex')}`);
  const [cmd, cmdArgs] = inNamespace(r.namespace, r.binary, args);
  await exec(cmd, cmdArgs, LEASE_TIMEOUT_MS);
  if (!existsSync(leaseFile)) throw new Error(`udhcpc exited, but its event script recorded no lease (${script})`);
  const fields = new Map(
    readFileSync(leaseFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const options = new Map<number, Buffer>();
  for (const code of r.request) {
    const hex = fields.get(`opt${code}`);
    if (hex) options.set(code, Buffer.from(hex, 'hex'));
  }
  return { ip: fields.get('ip') ?? '', mask: Number(fields.get('mask')), router: fields.get('router') ?? '', options };
}
