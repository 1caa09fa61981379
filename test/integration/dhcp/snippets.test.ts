import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAcsDiscovery, renderSnippets, type SnippetServer } from '../../../src/dhcp';
import { ensureDebianTools, type ToolLookup } from './debian-tools';

/**
 * The snippets `acs dhcp` prints must be accepted by the real servers' own configuration
 * checks. None of these commands opens a socket: each parses its file and exits.
 */

const run = promisify(execFile);

const CHECKS: Record<SnippetServer, { binary: string; pkg: string; hasService: boolean; args: (file: string) => string[] }> = {
  dnsmasq: { binary: 'dnsmasq', pkg: 'dnsmasq-base', hasService: false, args: (f) => ['--test', '-C', f] },
  'isc-dhcpd': { binary: 'dhcpd', pkg: 'isc-dhcp-server', hasService: true, args: (f) => ['-4', '-t', '-cf', f] },
  'isc-dhcpd6': { binary: 'dhcpd', pkg: 'isc-dhcp-server', hasService: true, args: (f) => ['-6', '-t', '-cf', f] },
  'kea-dhcp4': { binary: 'kea-dhcp4', pkg: 'kea-dhcp4-server', hasService: true, args: (f) => ['-t', f] },
  'kea-dhcp6': { binary: 'kea-dhcp6', pkg: 'kea-dhcp6-server', hasService: true, args: (f) => ['-t', f] },
};

const INPUTS = {
  minimal: { acsUrl: 'http://192.0.2.1:7547/' },
  full: {
    acsUrl: 'https://acs.example.net:7547/cwmp',
    provisioningCode: 'TLCO.GRP2',
    retryMinimumWaitInterval: '10',
    retryIntervalMultiplier: '2000',
  },
  // every URL character the parser lets through that a configuration format could mind
  punctuation: { acsUrl: "http://[2001:db8::1]:7547/a;b=c&d='e'#f$g%20(h)*+!~", provisioningCode: 'A B#C;D$E' },
};

let dir: string;
let tools: Map<string, ToolLookup>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'acs-dhcp-snippets-'));
  tools = await ensureDebianTools(Object.values(CHECKS));
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(server: SnippetServer, text: string, name: string): Promise<string | undefined> {
  const { binary, args } = CHECKS[server];
  const tool = tools.get(binary)!;
  if ('skip' in tool) {
    process.stderr.write(`dhcp snippet check of ${server} skipped: ${tool.skip}\n`);
    return undefined;
  }
  const file = path.join(dir, `${name}-${server}.conf`);
  writeFileSync(file, text);
  const env = { ...process.env, KEA_PIDFILE_DIR: dir, KEA_LOCKFILE_DIR: dir };
  try {
    await run(tool.path, args(file), { env, timeout: 60_000 });
    return '';
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

describe.each(Object.entries(INPUTS))('snippets for the %s input', (name, input) => {
  const snippets = renderSnippets(parseAcsDiscovery(input), { ipv6: true });
  it.each(snippets.map((s) => [s.server, s.text]))('%s accepts its snippet', async (server, text) => {
    expect(await check(server as SnippetServer, text, name)).not.toMatch(/./);
  }, 120_000);
});

describe('the checks themselves', () => {
  it.each([
    ['dnsmasq', 'dhcp-option=vendor:dslforum.org,1,"http://acs/\n'],
    ['isc-dhcpd', 'class "cwmp-device" { match if option vendor-class-identifier ~~ ; }\n'],
    ['kea-dhcp4', '{ "Dhcp4": { "client-classes": [ { "name": "x", "test": "option[60].text ==" } ] } }\n'],
  ] as Array<[SnippetServer, string]>)('%s refuses a broken snippet', async (server, text) => {
    const outcome = await check(server, text, 'broken');
    if (outcome !== undefined) expect(outcome).toMatch(/./);
  }, 120_000);
});
