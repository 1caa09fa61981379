import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { parseProfile, profileValues } from '../../../src/cisco/profile';
import { FileStore } from '../../../src/files';
import { StoredDesiredConfig } from '../../../src/provisioning';
import { encodeError, ERR, OP } from '../../../src/tftp/packet';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { eventually } from '../../support/api';
import { registerDevice, type TestDevice } from '../../support/devices';
import { rawRequest } from '../../support/http';
import { atftpGet, ensureTftpClients, SilentClient, tftpHpa } from '../../support/tftp';

/**
 * The tftp role and the phones' root paths (S15 of the digest), with real clients: Debian's
 * tftp-hpa and atftp. In-house provisioning: the phone's Profile_Rule is
 * `tftp://192.168.1.200/CP-6841-3PCC$MA.cfg` (000 L306-311; 001 L2034-2038); the factory
 * default rule is `/$PSN.xml` (000 L724-734; 001 L2559), fetched from the DHCP option 66/150
 * server. Unknown devices get "file not found" (404 over HTTP, 001 L1745-1770).
 */
let acs: TestAcs;
let port: number;
let phone: TestDevice;
let secretPhone: TestDevice;
let keyedPhone: TestDevice;
const FIRMWARE = 'sip68xx.12-0-1MPP-1.loads';
const firmware = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
const DEVICE_KEY = 'PerDeviceKeyOfPhone3';
const xmlValues = (body: Buffer) => profileValues(parseProfile(body));
const tftpPort = (a: TestAcs) => Number(new URL(a.tftpUrl.replace('tftp:', 'http:')).port);

beforeAll(async () => {
  ensureTftpClients();
  acs = await startTestAcs({ ACS_FS_UNPROVEN_BUDGET: '1000' }, { roles: ['fs', 'tftp'] });
  port = tftpPort(acs);
  const desired = new StoredDesiredConfig(acs.stores.db);
  phone = await registerDevice(acs.stores.db, { serialNumber: 'FCHTF0001', productClass: 'CP-6841-3PCC', mac: '000e08abcd01' });
  secretPhone = await registerDevice(acs.stores.db, { serialNumber: 'FCHTF0002', productClass: 'CP-6841-3PCC', mac: '000e08abcd02' });
  keyedPhone = await registerDevice(acs.stores.db, { serialNumber: 'FCHTF0003', productClass: 'CP-6841-3PCC', mac: '000e08abcd03' });
  await desired.replace(phone.id, [
    { name: 'Station_Name', value: 'Lobby' },
    { name: 'Profile_Rule', value: 'tftp://192.168.1.200/CP-6841-3PCC$MA.cfg' },
  ]);
  await desired.replace(secretPhone.id, [
    { name: 'Station_Name', value: 'Desk' },
    { name: 'Password_1_', value: 'line-secret-2' },
  ]);
  await desired.replace(
    keyedPhone.id,
    [
      { name: 'Station_Name', value: 'Keyed' },
      { name: 'Password_1_', value: 'line-secret-3' },
      { name: 'GPP_SD', value: DEVICE_KEY },
      { name: 'Profile_Rule', value: '[--key $SD] tftp://192.168.1.200/CP-6841-3PCC$MA.cfg' },
    ],
    { deviceKey: true },
  );
  await new FileStore(acs.stores.db, 1 << 20).upload(Readable.from([firmware]), { filename: FIRMWARE, kind: 'firmware' });
}, 180_000);
afterAll(async () => {
  await acs?.close();
});

describe('profiles over TFTP (S15)', () => {
  it('serves a known phone its profile by the MAC in the file name, with tftp-hpa', async () => {
    const got = await tftpHpa(port, 'get', `CP-6841-3PCC${phone.mac}.cfg`);
    expect(got.ok).toBe(true);
    expect(xmlValues(got.data)).toMatchObject({ Station_Name: 'Lobby' });
  });

  it('answers an unknown MAC, and a name without a MAC, with "file not found" (error 1)', async () => {
    const unknown = await tftpHpa(port, 'get', 'CP-6841-3PCC000e08ffffff.cfg');
    expect(unknown.ok).toBe(false);
    expect(unknown.output).toMatch(/Error code 1/);
    const psn = await tftpHpa(port, 'get', '/6841-3PCC.xml');
    expect(psn.output).toMatch(/Error code 1/);
  });

  it('serves a profile holding secrets without them: TFTP carries no proof', async () => {
    const got = await tftpHpa(port, 'get', `${secretPhone.mac}.xml`);
    expect(got.ok).toBe(true);
    expect(xmlValues(got.data).Station_Name).toBe('Desk');
    expect(got.data.toString('latin1')).not.toContain('line-secret-2');
  });

  it('serves a phone with a device key its whole profile encrypted under that key (001 L2410-2419)', async () => {
    const got = await tftpHpa(port, 'get', `CP-6841-3PCC${keyedPhone.mac}.cfg`);
    expect(got.ok).toBe(true);
    expect(got.data.subarray(0, 8).toString()).toBe('Salted__');
    expect(got.data.toString('latin1')).not.toContain('line-secret-3');
    const plain = spawnSync('/usr/bin/openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', DEVICE_KEY], { input: got.data });
    expect(plain.status).toBe(0);
    expect(xmlValues(plain.stdout)).toMatchObject({ Station_Name: 'Keyed', Password_1_: 'line-secret-3' });
  });

  it('refuses a token in the file name: TFTP proves nothing', async () => {
    const got = await tftpHpa(port, 'get', `${phone.mac}.xml?acs_token=abc`);
    expect(got.output).toMatch(/Error code 0: token refused/);
  });
});

describe('firmware and write requests', () => {
  it('serves stored firmware by its name, byte for byte', async () => {
    const got = await tftpHpa(port, 'get', FIRMWARE);
    expect(got.ok).toBe(true);
    expect(got.data.equals(firmware)).toBe(true);
  });

  it('refuses a write request with "access violation" (error 2)', async () => {
    const put = await tftpHpa(port, 'put', 'new.cfg', Buffer.from('<flat-profile/>'));
    expect(put.output).toMatch(/Error code 2: read-only server/);
  });
});

describe('options (RFC 2347-2349)', () => {
  it('negotiates blksize and tsize with atftp, and the file arrives whole', async () => {
    const got = await atftpGet(port, FIRMWARE, { blksize: '1024', tsize: '0' });
    expect(got.ok).toBe(true);
    expect(got.data.equals(firmware)).toBe(true);
    expect(got.output).toMatch(/OACK <.*blksize: 1024/);
    expect(got.output).toMatch(new RegExp(`OACK <.*tsize: ${firmware.length}`));
    // 5000 bytes in blocks of 1024: the fifth block is the short last one.
    expect(got.output).toMatch(/sent ACK <block: 5>/);
    expect(got.output).not.toMatch(/sent ACK <block: 6>/);
  });

  it('lowers a blksize beyond ACS_TFTP_MAX_BLKSIZE to it, and acknowledges a timeout', async () => {
    const got = await atftpGet(port, FIRMWARE, { blksize: '9000', timeout: '3' });
    expect(got.ok).toBe(true);
    expect(got.output).toMatch(/OACK <.*blksize: 1468/);
    expect(got.output).toMatch(/OACK <.*timeout: 3/);
    expect(got.data.equals(firmware)).toBe(true);
  });

  it('answers without an OACK when no option is asked (RFC 1350 blocks of 512)', async () => {
    const client = await new SilentClient().open();
    try {
      client.request(port, FIRMWARE);
      const first = await client.until((p) => p.op === OP.DATA);
      expect(first).toMatchObject({ op: OP.DATA, block: 1 });
      expect((first as { data: Buffer }).data.length).toBe(512);
      client.send(encodeError(ERR.UNDEFINED, 'enough'), client.received[0].port);
    } finally {
      await client.close();
    }
  });
});

describe('root paths over HTTP (S15)', () => {
  const ua = (mac: string) => `Cisco-CP-6841-3PCC/12.0.1 (${mac})`;
  it('serves /$PSN.xml and /CP-6841-3PCC$MA.cfg at the root, as under /cisco/', async () => {
    const psn = await rawRequest(acs.fsUrl, '/6841-3PCC.xml', { headers: { 'user-agent': ua(phone.mac) } });
    expect(psn.status).toBe(200);
    expect(xmlValues(psn.body).Station_Name).toBe('Lobby');
    const byMac = await rawRequest(acs.fsUrl, `/CP-6841-3PCC${phone.mac}.cfg`);
    expect(byMac.status).toBe(200);
    const unknown = await rawRequest(acs.fsUrl, '/6841-3PCC.xml', { headers: { 'user-agent': ua('000e08ffffff') } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/text\/plain/);
    const secret = await rawRequest(acs.fsUrl, `/${secretPhone.mac}.xml`);
    expect(secret.status).toBe(200);
    expect(secret.body.toString()).not.toContain('line-secret-2');
    // Other root paths are no phone's: a problem document.
    const other = await rawRequest(acs.fsUrl, '/something');
    expect(other.status).toBe(404);
    expect(other.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('bounds, each at the bound', () => {
  let bounded: TestAcs;
  let limited: TestAcs;
  const sized = (n: number) => Buffer.alloc(n, 0x5a);
  const names = { blocks4: 'sip68xx.12-0-2MPP-4.loads', blocks5: 'sip68xx.12-0-2MPP-5.loads', max: 'sip68xx.12-0-3MPP-1.loads', over: 'sip68xx.12-0-3MPP-2.loads' };

  beforeAll(async () => {
    bounded = await startTestAcs(
      { ACS_TFTP_MAX_FILE: '3000', ACS_TFTP_MAX_BLOCKS: '4', ACS_TFTP_MAX_TRANSFERS: '1', ACS_TFTP_RETRIES: '2', ACS_TFTP_TIMEOUT: '1' },
      { roles: ['tftp'], stores: acs.stores },
    );
    limited = await startTestAcs({ ACS_TFTP_RATE: '2' }, { roles: ['tftp'], stores: acs.stores });
    const files = new FileStore(acs.stores.db, 1 << 20);
    await files.upload(Readable.from([sized(2047)]), { filename: names.blocks4, kind: 'firmware' });
    await files.upload(Readable.from([sized(2048)]), { filename: names.blocks5, kind: 'firmware' });
    await files.upload(Readable.from([sized(3000)]), { filename: names.max, kind: 'firmware' });
    await files.upload(Readable.from([sized(3001)]), { filename: names.over, kind: 'firmware' });
  });
  afterAll(async () => {
    await bounded?.close();
    await limited?.close();
  });

  it('ACS_TFTP_MAX_BLOCKS: 4 blocks of 512 are sent, 5 are refused', async () => {
    const four = await tftpHpa(tftpPort(bounded), 'get', names.blocks4);
    expect(four.ok).toBe(true);
    expect(four.data.length).toBe(2047);
    const five = await tftpHpa(tftpPort(bounded), 'get', names.blocks5);
    expect(five.output).toMatch(/Error code 0: file needs 5 blocks of 512 bytes, more than 4/);
  });

  it('ACS_TFTP_MAX_FILE: a file of exactly the bound is sent, one byte more is refused', async () => {
    const max = await atftpGet(tftpPort(bounded), names.max, { blksize: '1024' });
    expect(max.ok).toBe(true);
    expect(max.data.length).toBe(3000);
    const over = await atftpGet(tftpPort(bounded), names.over, { blksize: '1024' });
    expect(over.ok).toBe(false);
    expect(over.output).toMatch(/file of 3001 bytes is larger than the 3000/);
  });

  it('ACS_TFTP_RETRIES: an unacknowledged block is sent 1 + 2 times, then the transfer ends with an error', async () => {
    const client = await new SilentClient().open();
    try {
      client.request(tftpPort(bounded), names.blocks4);
      await client.until((p) => p.op === OP.ERROR);
      const data = client.received.filter((r) => r.packet.op === OP.DATA);
      expect(data.map((r) => (r.packet as { block: number }).block)).toEqual([1, 1, 1]);
      expect(client.received.at(-1)?.packet).toMatchObject({ op: OP.ERROR, message: 'no acknowledgement after 2 retransmissions' });
    } finally {
      await client.close();
    }
  });

  it('ACS_TFTP_MAX_TRANSFERS: with 1 under way the next request is refused, and served once it ended', async () => {
    const holder = await new SilentClient().open();
    try {
      holder.request(tftpPort(bounded), names.blocks4);
      await holder.until((p) => p.op === OP.DATA);
      const busy = await tftpHpa(tftpPort(bounded), 'get', names.blocks4);
      expect(busy.output).toMatch(/Error code 0: server busy: 1 transfers under way/);
      // The holder gives up (an ERROR from the client ends the transfer at once).
      holder.send(encodeError(ERR.UNDEFINED, 'done'), holder.received[0].port);
      // the server frees the slot just after the client's error arrives
      expect(await eventually(async () => (await tftpHpa(tftpPort(bounded), 'get', names.blocks4)).ok, (ok) => ok)).toBe(true);
    } finally {
      await holder.close();
    }
  });

  it('ACS_TFTP_RATE: 2 requests a minute from one address are served, the third refused', async () => {
    const p = tftpPort(limited);
    expect((await tftpHpa(p, 'get', names.blocks4)).ok).toBe(true);
    expect((await tftpHpa(p, 'get', names.blocks4)).ok).toBe(true);
    const third = await tftpHpa(p, 'get', names.blocks4);
    expect(third.output).toMatch(/Error code 0: too many requests from 127\.0\.0\.1: at most 2 a minute/);
  });
});
