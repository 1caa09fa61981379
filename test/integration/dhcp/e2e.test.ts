import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { dhcpOutput } from '../../../src/cli/commands/dhcp';
import { deviceKey } from '../../../src/devices/id';
import type { DeviceDoc, Tr111Identity } from '../../../src/devices/types';
import { BBF_ENTERPRISE, CWMP_VENDOR_CLASS, decodeOption43, encodeTr111Option125, toHex } from '../../../src/dhcp';
import { DEFAULT_OUI, DEFAULT_PRODUCT_CLASS, deriveIdentity } from '../../../src/sim/datamodel';
import type { StatsSummary } from '../../../src/sim';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { ensureDebianTools } from './debian-tools';
import { startDnsmasq, type RunningDnsmasq } from './dnsmasq';
import { createTopology, destroyTopology, exec, inNamespace, makeRunDir, namespaceBlocker, removeLeftovers, type Topology } from './netns';
import { obtainLease } from './udhcpc';

/**
 * ACS discovery over real DHCP: dnsmasq runs in a "gateway" namespace with the snippet
 * `acs dhcp` prints; in a "phone" namespace BusyBox udhcpc asks with option 60 dslforum.org
 * and its TR-111 identity in option 125; the ACS URL decoded from option 43 and the gateway
 * identity from option 125 go to `acs sim` in the phone namespace, which informs the ACS
 * running here, behind the gateway (see netns.ts for the addresses).
 */

const execFileAsync = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const SEED = 'dhcp-e2e';
const SIM_TIMEOUT_MS = 30_000;
const GATEWAY: Tr111Identity = { oui: '00D09E', serialNumber: 'E2EGW0001', productClass: 'TestGateway' };

const blocker = namespaceBlocker();
if (blocker) process.stderr.write(`DHCP discovery end to end skipped: ${blocker}\n`);

/** This gateway's TR-111 identity, for clients that sent theirs (dnsmasq tags them cpewan-id). */
function gatewayIdentityLines(g: Tr111Identity): string {
  const values: Array<[number, string]> = [
    [4, g.oui],
    [5, g.serialNumber],
    [6, g.productClass],
  ];
  return [
    `# TR-111: the gateway's identity in option 125 (enterprise ${BBF_ENTERPRISE}) to devices that sent theirs`,
    ...values.map(([code, value]) => `dhcp-option=tag:cpewan-id,vi-encap:${BBF_ENTERPRISE},${code},"${value}"`),
  ].join('\n');
}

/** What `probe` finds within 10 s (the ACS batches Inform writes; dnsmasq runs its lease script after the ACK). */
async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T | undefined> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

describe('DHCP discovery end to end in network namespaces', () => {
  let dir: string;
  let topology: Topology | undefined;
  let acs: TestAcs | undefined;
  let dnsmasq: RunningDnsmasq | undefined;
  let tools: { dnsmasq: string; udhcpc: string };

  beforeAll(async () => {
    if (blocker) return;
    const found = await ensureDebianTools([
      { binary: 'ip', pkg: 'iproute2' },
      { binary: 'dnsmasq', pkg: 'dnsmasq-base' },
      { binary: 'udhcpc', pkg: 'udhcpc' },
    ]);
    for (const t of found.values()) if ('skip' in t) throw new Error(t.skip);
    const pathOf = (binary: string) => (found.get(binary) as { path: string }).path;
    tools = { dnsmasq: pathOf('dnsmasq'), udhcpc: pathOf('udhcpc') };
    await removeLeftovers();
    dir = makeRunDir();
    topology = await createTopology();
    acs = await startTestAcs({ ACS_BIND_ADDRESS: topology.acsAddress });
  }, 900_000);

  afterAll(async () => {
    try {
      await dnsmasq?.stop();
      await acs?.close();
    } finally {
      if (topology) await destroyTopology(topology);
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  (blocker ? it.skip : it)(
    `a phone finds the ACS through DHCP option 43 and reports its TR-111 gateway${blocker ? ` (skipped: ${blocker})` : ''}`,
    async () => {
      const t = topology!;
      const server = acs!;
      const acsUrl = `${server.cwmpUrl}/`;
      dnsmasq = await startDnsmasq({
        binary: tools.dnsmasq,
        namespace: t.gw,
        interface: t.gwLanInterface,
        range: { first: t.lan.first, last: t.lan.last, netmask: t.lan.netmask },
        extra: `${dhcpOutput({ acsUrl, format: 'dnsmasq' })}\n${gatewayIdentityLines(GATEWAY)}\n`,
        dir,
      });

      // The phone's DHCP client uses the simulated phone's own MAC and TR-111 identity.
      const phone = deriveIdentity(0, SEED, 'FCH', DEFAULT_OUI);
      const phoneId = { oui: DEFAULT_OUI, productClass: DEFAULT_PRODUCT_CLASS, serialNumber: phone.serialNumber };
      await exec('ip', ['-n', t.phone, 'link', 'set', t.phoneInterface, 'address', phone.macAddress.replace(/(..)(?!$)/g, '$1:')]);
      const lease = await obtainLease({
        binary: tools.udhcpc,
        namespace: t.phone,
        interface: t.phoneInterface,
        vendorClass: CWMP_VENDOR_CLASS,
        request: [43, 125],
        send: {
          125: encodeTr111Option125({
            deviceManufacturerOUI: phoneId.oui,
            deviceSerialNumber: phoneId.serialNumber,
            deviceProductClass: phoneId.productClass,
          }),
        },
        dir,
      });
      expect(lease.router).toBe(t.lan.gateway);
      const option43 = lease.options.get(43);
      const option125 = lease.options.get(125);
      if (!option43 || !option125) throw new Error(`the lease lacks option 43 or 125:\n${dnsmasq.log()}`);
      const discovered = decodeOption43(option43);
      expect(discovered.acsUrl).toBe(acsUrl);

      // The phone informs the ACS at the discovered URL, from its leased address, through the gateway.
      const [cmd, args] = inNamespace(t.phone, process.execPath, [
        '-r',
        '@swc-node/register',
        'src/cli/main.ts',
        'sim',
        '--acs-url',
        discovered.acsUrl!,
        '--auth',
        'digest',
        '--username',
        CPE_USERNAME,
        '--password',
        CPE_PASSWORD,
        '--seed',
        SEED,
        '--cr-host',
        lease.ip,
        '--dhcp-option125',
        toHex(option125),
        '--sessions',
        '1',
        '--json',
      ]);
      const sim = await execFileAsync(cmd, args, {
        cwd: REPO,
        timeout: SIM_TIMEOUT_MS,
        // nothing of the test's environment (store URLs, ACS_*) reaches the phone
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/' },
      }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`acs sim failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      });
      const summary = JSON.parse(sim.stdout) as StatsSummary;
      expect(summary.sessions).toMatchObject({ ok: 1, failed: 0 });

      const devices = server.ctx.db.collection<DeviceDoc>('devices');
      const doc = await eventually(async () => (await devices.findOne({ _id: deviceKey(phoneId) })) ?? undefined);
      expect(doc).toMatchObject({
        remoteAddress: lease.ip,
        gateway: GATEWAY,
        lastEvents: expect.arrayContaining([expect.objectContaining({ eventCode: '0 BOOTSTRAP' }), expect.objectContaining({ eventCode: '4 VALUE CHANGE' })]),
      });
      expect(doc?.connectionRequestUrl).toMatch(new RegExp(`^http://${lease.ip.replace(/\./g, '\\.')}:\\d+/`));

      // The other half of TR-111: the gateway's DHCP server learned the phone's identity.
      const tr111File = dnsmasq.tr111File;
      const clients = await eventually(() => (existsSync(tr111File) ? readFileSync(tr111File, 'utf8') : undefined));
      expect(clients).toContain(`${phoneId.oui} ${phoneId.serialNumber} ${phoneId.productClass}`);
    },
    60_000,
  );
});
