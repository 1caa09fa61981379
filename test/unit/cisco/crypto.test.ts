import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import * as ece from 'http_ece';
import {
  CryptoError,
  decodeProfile,
  decryptAes128Gcm,
  decryptCbc,
  deriveKeyIv,
  encodeProfile,
  encryptAes128Gcm,
  encryptCbc,
} from '../../../src/cisco/crypto';

const OPENSSL = '/usr/bin/openssl';
const XML = '<flat-profile>\n<GPP_A>12345678</GPP_A>\n<Dial_Plan_1_>(S0 &lt;:18005551212&gt;)</Dial_Plan_1_>\n</flat-profile>\n';

function run(cmd: string, args: string[], input: Buffer): Buffer {
  const r = spawnSync(cmd, args, { input, timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

function cryptoError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof CryptoError) return err.message;
    throw err;
  }
  throw new Error('no CryptoError');
}

describe('AES-256-CBC, openssl enc format (001 L846-890)', () => {
  it('derives the digest §13.2 key and IV from SecretPhrase1234 and salt 0102030405060708', () => {
    const salt = Buffer.from('0102030405060708', 'hex');
    const md5 = deriveKeyIv('SecretPhrase1234', salt, 'md5');
    expect(md5.key.toString('hex').toUpperCase()).toBe('75618538A4502FA7161D6DC303F2A1F1C0EE19362EE647E725505C3C52364C82');
    expect(md5.iv.toString('hex').toUpperCase()).toBe('04CA41F7B4E382DA569224B0C61B445A');
    const sha = deriveKeyIv('SecretPhrase1234', salt, 'sha256');
    expect(sha.key.toString('hex').toUpperCase()).toBe('EC2A2D45A836181F7FA96D7E6204D9C24CD45FF1E1062E3B2DAE7E7BAA7D63A8');
    expect(sha.iv.toString('hex').toUpperCase()).toBe('E10DD0D54AEFDDC59586871B1A7BD83C');
  });

  it('writes files the real openssl decrypts (md5 default, and sha256)', () => {
    const md5 = encryptCbc(Buffer.from(XML), 'SecretPhrase1234');
    expect(run(OPENSSL, ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', 'SecretPhrase1234'], md5).toString()).toBe(XML);
    const sha = encryptCbc(Buffer.from(XML), 'MyOwnSecret', { digest: 'sha256' });
    expect(run(OPENSSL, ['enc', '-d', '-aes-256-cbc', '-md', 'sha256', '-k', 'MyOwnSecret'], sha).toString()).toBe(XML);
  });

  it('reads files the real openssl encrypts', () => {
    const md5 = run(OPENSSL, ['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', 'SecretPhrase1234'], Buffer.from(XML));
    expect(decryptCbc(md5, 'SecretPhrase1234').toString()).toBe(XML);
    const modern = run(OPENSSL, ['enc', '-aes-256-cbc', '-k', 'test123'], Buffer.from(XML));
    expect(decryptCbc(modern, 'test123', { digest: 'sha256' }).toString()).toBe(XML);
  });

  it('delivers gzip then AES-256-CBC that `openssl enc -d | gunzip` reads (S11)', () => {
    const { body, contentEncoding } = encodeProfile(XML, { gzip: true, encryption: { method: 'aes-256-cbc', key: 'SecretPhrase1234' } });
    expect(contentEncoding).toBeUndefined();
    const gz = run(OPENSSL, ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', 'SecretPhrase1234'], body);
    expect(gz.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(run('gzip', ['-dc'], gz).toString()).toBe(XML);
  });

  it('decodes an upload made with gzip and openssl (S20e)', () => {
    const upload = run(OPENSSL, ['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', 'test123'], run('gzip', ['-c'], Buffer.from(XML)));
    expect(decodeProfile(upload, { key: 'test123' }).toString()).toBe(XML);
  });

  it('says so when the key is wrong', () => {
    const data = encryptCbc(Buffer.from(XML), 'right key', { salt: Buffer.from('0011223344556677', 'hex') });
    expect(cryptoError(() => decryptCbc(data, 'wrong key'))).toBe('AES-256-CBC decryption failed: wrong key, wrong digest (md5) or corrupted file');
    const sha = encryptCbc(Buffer.from(XML), 'test123', { digest: 'sha256', salt: Buffer.from('0011223344556677', 'hex') });
    expect(cryptoError(() => decryptCbc(sha, 'test123'))).toMatch(/wrong key, wrong digest \(md5\)/);
  });

  it('says so when the file is truncated or not openssl format', () => {
    const data = encryptCbc(Buffer.from(XML), 'k');
    expect(cryptoError(() => decryptCbc(data.subarray(0, data.length - 5), 'k'))).toMatch(/^truncated AES-256-CBC file: ciphertext of \d+ bytes is not a whole number/);
    expect(cryptoError(() => decryptCbc(data.subarray(0, 16), 'k'))).toBe('truncated AES-256-CBC file: no ciphertext after the salt');
    expect(cryptoError(() => decryptCbc(data.subarray(0, data.length - 16), 'k'))).toMatch(/decryption failed/);
    expect(cryptoError(() => decryptCbc(Buffer.from(XML), 'k'))).toMatch(/"Salted__" header is missing/);
    expect(cryptoError(() => decryptCbc(data, ''))).toBe('the encryption key is empty');
    expect(cryptoError(() => decodeProfile(data))).toBe('content is AES-256-CBC-encrypted but the rule has no --key');
  });
});

describe('RFC 8188 aes128gcm (001 L1019-1038)', () => {
  const b64 = (s: string) => Buffer.from(s, 'base64url');

  it('reproduces RFC 8188 §3.1', () => {
    const ikm = b64('yqdlZ-tYemfogSmv7Ws5PQ');
    const expected = 'I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg';
    expect(encryptAes128Gcm(Buffer.from('I am the walrus'), ikm, { salt: b64('I1BsxtFttlv3u_Oo94xnmw') }).toString('base64url')).toBe(expected);
    expect(decryptAes128Gcm(b64(expected), ikm).toString()).toBe('I am the walrus');
  });

  it.each([18, 25, 100, 4096])('interoperates with http_ece at record size %i', (rs) => {
    const ikm = Buffer.from('0123456789abcdef');
    const plain = Buffer.from(XML.repeat(3));
    const keyid = Buffer.from('a1');
    const ours = encryptAes128Gcm(plain, ikm, { recordSize: rs, keyId: keyid });
    expect(ece.decrypt(ours, { version: 'aes128gcm', key: ikm })).toEqual(plain);
    const theirs = ece.encrypt(plain, { version: 'aes128gcm', key: ikm, rs, keyid });
    expect(decryptAes128Gcm(theirs, ikm)).toEqual(plain);
  });

  it('accepts an IKM of any length and an empty body', () => {
    const ikm = Buffer.from('a phone IKM longer than sixteen bytes');
    expect(decryptAes128Gcm(encryptAes128Gcm(Buffer.alloc(0), ikm), ikm)).toEqual(Buffer.alloc(0));
    const { body, contentEncoding } = encodeProfile(XML, { gzip: true, encryption: { method: 'aes128gcm', ikm, recordSize: 64 } });
    expect(contentEncoding).toBe('aes128gcm');
    expect(decodeProfile(body, { ikm, contentEncoding: 'aes128gcm' }).toString()).toBe(XML);
  });

  it('says so when the key is wrong or the content truncated', () => {
    const ikm = Buffer.from('right IKM');
    const data = encryptAes128Gcm(Buffer.from(XML), ikm, { recordSize: 40 });
    expect(cryptoError(() => decryptAes128Gcm(data, Buffer.from('wrong IKM')))).toBe('aes128gcm record 0 failed authentication: wrong key or corrupted data');
    // Cut at a record boundary: every record authenticates, but the last one is missing.
    expect(cryptoError(() => decryptAes128Gcm(data.subarray(0, 21 + 40 * 2), ikm))).toBe('truncated aes128gcm content: the last record is missing');
    expect(cryptoError(() => decryptAes128Gcm(data.subarray(0, data.length - 3), ikm))).toMatch(/failed authentication: truncated content/);
    expect(cryptoError(() => decryptAes128Gcm(data.subarray(0, 10), ikm))).toBe('truncated aes128gcm content: the 21-byte header is incomplete');
    expect(cryptoError(() => decryptAes128Gcm(data.subarray(0, 21), ikm))).toBe('truncated aes128gcm content: no records');
    expect(cryptoError(() => decodeProfile(data, { contentEncoding: 'aes128gcm' }))).toBe('content is aes128gcm-encrypted but no IKM is known for the device');
  });
});

describe('decodeProfile', () => {
  it('passes plain and gzip content through and bounds decompression', () => {
    expect(decodeProfile(Buffer.from(XML)).toString()).toBe(XML);
    expect(decodeProfile(gzipSync(XML)).toString()).toBe(XML);
    const bomb = gzipSync(Buffer.alloc(1024 * 1024));
    expect(cryptoError(() => decodeProfile(bomb, { maxBytes: 1024 }))).toBe('gzip content expands beyond 1024 bytes');
    expect(cryptoError(() => decodeProfile(gzipSync(XML).subarray(0, 20)))).toMatch(/^gzip content is truncated or corrupted/);
  });
});
