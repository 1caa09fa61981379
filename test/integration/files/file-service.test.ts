import { createHash, randomBytes } from 'node:crypto';
import { FileError, FileStore, TransferLog, UrlSigner, type FileInfo, type TransferLogEntry } from '../../../src/files';
import { createLogger } from '../../../src/log';
import { startTestAcs, type TestAcs } from '../../support/acs';
import { registerDevice, type TestDevice } from '../../support/devices';
import { rawRequest, type RawResponse } from '../../support/http';

/** The fs role serving stored files behind per-device signed URLs, on real FerretDB/MongoDB. */
let acs: TestAcs;
let store: FileStore;
let signer: UrlSigner;
let phone: TestDevice;
let other: TestDevice;
const content = randomBytes(300_000);
let firmware: FileInfo;

beforeAll(async () => {
  acs = await startTestAcs({ ACS_FS_MAX_FILE: '1000000' }, { roles: ['fs'] });
  store = new FileStore(acs.stores.db, acs.ctx.config.fs.maxFileBytes);
  signer = new UrlSigner(acs.ctx.secret, acs.fsUrl);
  phone = await registerDevice(acs.stores.db, { serialNumber: 'FCHFS0001', mac: '00562b0a0001' });
  other = await registerDevice(acs.stores.db, { serialNumber: 'FCHFS0002', mac: '00562b0a0002' });
  firmware = await store.upload(chunks(content, 65_536), { filename: 'sip88xx.12-0-5MPP-1.loads', kind: 'firmware', productClasses: ['CP-8851-3PCC'], uploadedBy: 'test' });
});
afterAll(async () => {
  await acs?.close();
});

async function* chunks(data: Buffer, size: number, failAfter?: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += size) {
    if (failAfter !== undefined && at >= failAfter) throw Object.assign(new Error('request aborted'), { code: 'ECONNRESET' });
    yield data.subarray(at, at + size);
  }
}

const inAnHour = () => new Date(Date.now() + 3600_000);

function get(pathOrUrl: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return rawRequest(acs.fsUrl, pathOrUrl.startsWith('http') ? pathOrUrl.slice(acs.fsUrl.length) : pathOrUrl, { headers, method });
}

async function storedFiles(): Promise<{ files: number; chunks: number }> {
  return {
    files: await acs.stores.db.collection('files.files').countDocuments({}),
    chunks: await acs.stores.db.collection('files.chunks').countDocuments({}),
  };
}

describe('storage', () => {
  it('stores size, SHA-256, kind, product classes and the version read from a Cisco load name', async () => {
    expect(firmware).toMatchObject({
      filename: 'sip88xx.12-0-5MPP-1.loads',
      kind: 'firmware',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      version: 'sip88xx.12-0-5MPP-1',
      productClasses: ['CP-8851-3PCC'],
      uploadedBy: 'test',
    });
    expect((await store.list({ productClass: 'CP-8851-3PCC' })).map((f) => f.id)).toContain(firmware.id);
    expect((await store.list({ productClass: 'CP-7841-3PCC' })).map((f) => f.id)).not.toContain(firmware.id);
    expect(await store.list({ kind: 'ca' })).toEqual([]);
  });

  it.each([
    ['a truncated upload', { expectedSize: content.length + 1 }, undefined, 400, /truncated: received 300000 of 300001/],
    ['a connection closed mid-way', {}, 100_000, 400, /truncated: the connection closed/],
    ['a wrong checksum', { expectedSha256: 'a'.repeat(64) }, undefined, 400, /does not match the expected a{64}/],
  ])('refuses %s and keeps nothing of it', async (_what, extra, failAfter, status, message) => {
    const before = await storedFiles();
    const err = await store.upload(chunks(content, 65_536, failAfter), { filename: 'x.bin', kind: 'configuration', ...extra }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect(err).toMatchObject({ status, message: expect.stringMatching(message) });
    expect(await storedFiles()).toEqual(before);
  });

  it('refuses files over the size limit, firmware without a version, and bad names, storing nothing', async () => {
    const before = await storedFiles();
    await expect(store.upload(chunks(Buffer.alloc(1_000_001), 100_000), { filename: 'big.bin', kind: 'configuration' })).rejects.toMatchObject({ status: 413 });
    await expect(store.upload(chunks(content, 65_536), { filename: 'image.bin', kind: 'firmware' })).rejects.toThrow(/needs a version/);
    await expect(store.upload(chunks(content, 65_536), { filename: '../etc/passwd', kind: 'ca' })).rejects.toThrow(/file name/);
    expect(await storedFiles()).toEqual(before);
  });
});

describe('signed URLs', () => {
  it('serves the file to its device with ETag, Range and HEAD, and 304 on a matching If-None-Match', async () => {
    const url = signer.fileUrl(firmware.id, firmware.filename, phone.id, inAnHour());
    const full = await get(url, { 'user-agent': `Cisco-CP-8851-3PCC/12.0.1 (${phone.mac})` });
    expect(full.status).toBe(200);
    expect(full.body.equals(content)).toBe(true);
    expect(full.headers).toMatchObject({ etag: `"${firmware.sha256}"`, 'accept-ranges': 'bytes', 'content-length': String(content.length) });

    const part = await get(url, { range: 'bytes=262140-262149' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 262140-262149/${content.length}`);
    expect(part.body.equals(content.subarray(262140, 262150))).toBe(true);

    const head = await get(url, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(content.length));
    expect(head.body.length).toBe(0);

    expect((await get(url, { 'if-none-match': `"${firmware.sha256}"` })).status).toBe(304);
    expect((await get(url, { range: `bytes=${content.length + 10}-` })).status).toBe(416);
    // If-Range with another validator: the whole (changed) file, not a slice of it.
    expect((await get(url, { range: 'bytes=0-9', 'if-range': '"other"' })).status).toBe(200);
  });

  it('refuses forged, altered, expired and other-device URLs with a clear status, serving nothing', async () => {
    const url = new URL(signer.fileUrl(firmware.id, firmware.filename, phone.id, inAnHour()));
    const sig = url.searchParams.get('sig')!;
    const variant = (change: (u: URL) => void) => {
      const u = new URL(url);
      change(u);
      return u.toString();
    };
    const cases: Array<[string, string, number, RegExp, Record<string, string>?]> = [
      ['forged signature', variant((u) => u.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`)), 403, /does not match/],
      ['missing signature', variant((u) => u.searchParams.delete('sig')), 403, /missing or malformed/],
      ['another device', variant((u) => u.searchParams.set('device', other.id)), 403, /does not match/],
      ['a later expiry', variant((u) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600))), 403, /does not match/],
      ['another file', variant((u) => (u.pathname = u.pathname.replace(firmware.id, '0'.repeat(24)))), 403, /does not match/],
      ['expired', signer.fileUrl(firmware.id, firmware.filename, phone.id, new Date(Date.now() - 1000)), 410, /expired at/],
      ['fetched by another phone', url.toString(), 403, /made for another device/, { 'user-agent': `Cisco-CP-8851-3PCC/12.0.1 (${other.mac})` }],
    ];
    for (const [what, target, status, message, headers] of cases) {
      const res = await get(target, headers);
      expect({ what, status: res.status }).toEqual({ what, status });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(res.body.toString());
      expect(problem).toMatchObject({ status, detail: expect.stringMatching(message) });
      expect(res.body.includes(content.subarray(0, 32))).toBe(false);
    }
  });

  it.each(['/files/../../etc/passwd', '/files/%2e%2e/%2e%2e/etc/passwd', '/files/a%2Fb/c', '/cisco/..%5C..%5Cwin.ini', '/files/x/%ZZ'])('refuses the path traversal attempt %s with 400', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toMatch(/path traversal refused|malformed percent-encoding/);
  });

  it('logs every download: device, file, bytes, status, range', async () => {
    const url = signer.fileUrl(firmware.id, firmware.filename, phone.id, inAnHour());
    await get(url, { range: 'bytes=0-99', 'user-agent': 'log-test' });
    await get(`${url}x`, { 'user-agent': 'log-test' });
    const log = acs.stores.db.collection<TransferLogEntry>('file_transfers');
    let entries: TransferLogEntry[] = [];
    for (let i = 0; i < 40 && entries.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      entries = await log.find({ userAgent: 'log-test' }).sort({ at: 1 }).toArray();
    }
    expect(entries).toMatchObject([
      { resource: 'file', deviceId: phone.id, fileId: firmware.id, status: 206, bytes: 100, complete: true, range: 'bytes=0-99', method: 'GET' },
      { resource: 'file', deviceId: phone.id, status: 403, bytes: 0, reason: expect.stringMatching(/signature/) },
    ]);
  });

  it('a deleted file is gone for URLs made before', async () => {
    const ca = await store.upload(chunks(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), 1024), { filename: 'root-ca.pem', kind: 'ca' });
    const url = signer.fileUrl(ca.id, ca.filename, phone.id, inAnHour());
    expect((await get(url)).status).toBe(200);
    expect(await store.delete(ca.id)).toBe(true);
    expect((await get(url)).status).toBe(404);
    expect(await store.delete(ca.id)).toBe(false);
  });
});

describe('transfer log', () => {
  it('writes batches and never loses what was recorded before close', async () => {
    const log = new TransferLog(acs.stores.db, createLogger('silent'));
    for (let i = 0; i < 1200; i++) {
      log.record({ at: new Date(), direction: 'download', resource: 'file', method: 'GET', path: `/batch/${i}`, status: 200, bytes: i, complete: true, remoteAddress: '127.0.0.1', userAgent: 'batch-test', durationMs: 1 });
    }
    await log.close();
    expect(await acs.stores.db.collection('file_transfers').countDocuments({ userAgent: 'batch-test' })).toBe(1200);
  });
});
