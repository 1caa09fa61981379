/**
 * AES-256-CBC in the file format of `openssl enc -aes-256-cbc -k KEY` (001 L846-890): the
 * 8 bytes `Salted__`, an 8-byte random salt, then the PKCS#7-padded ciphertext. Key and IV
 * come from OpenSSL's EVP_BytesToKey with one iteration.
 *
 * Digest: the phones were "tested against version openssl-0.9.7c" (001 L865), whose
 * EVP_BytesToKey used MD5, so MD5 is the default; OpenSSL 1.1.0 and later default to SHA-256
 * (`-md sha256`), which is offered for files made with a modern openssl without `-md md5`.
 * Which one a given firmware accepts is not documented (digest §3.3).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { CryptoError } from './errors';

export type OpensslDigest = 'md5' | 'sha256';
export const DEFAULT_DIGEST: OpensslDigest = 'md5';

const MAGIC = Buffer.from('Salted__', 'ascii');
const KEY = 32;
const IV = 16;

export interface CbcOptions {
  digest?: OpensslDigest;
}

/**
 * EVP_BytesToKey(digest, salt, passphrase, count 1): D_i = H(D_{i-1} || pass || salt) until
 * key and IV are covered. Node exposes no EVP_BytesToKey, and node-forge's equivalent is an
 * untyped internal, so the loop lives here.
 */
export function deriveKeyIv(passphrase: string, salt: Buffer, digest: OpensslDigest): { key: Buffer; iv: Buffer } {
  const pass = Buffer.from(passphrase, 'utf8');
  const blocks: Buffer[] = [];
  let total = 0;
  let prev = Buffer.alloc(0);
  while (total < KEY + IV) {
    prev = createHash(digest).update(prev).update(pass).update(salt).digest();
    blocks.push(prev);
    total += prev.length;
  }
  const all = Buffer.concat(blocks);
  return { key: all.subarray(0, KEY), iv: all.subarray(KEY, KEY + IV) };
}

function checkKey(passphrase: string): void {
  if (passphrase === '') throw new CryptoError('the encryption key is empty');
}

export function encryptCbc(plain: Uint8Array, passphrase: string, options: CbcOptions & { salt?: Buffer } = {}): Buffer {
  checkKey(passphrase);
  const salt = options.salt ?? randomBytes(8);
  if (salt.length !== 8) throw new CryptoError('the salt must be 8 bytes');
  const { key, iv } = deriveKeyIv(passphrase, salt, options.digest ?? DEFAULT_DIGEST);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([MAGIC, salt, cipher.update(plain), cipher.final()]);
}

export function isOpensslSalted(data: Uint8Array): boolean {
  return data.length >= 8 && Buffer.from(data.buffer, data.byteOffset, 8).equals(MAGIC);
}

export function decryptCbc(data: Uint8Array, passphrase: string, options: CbcOptions = {}): Buffer {
  checkKey(passphrase);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (!isOpensslSalted(buf)) {
    throw new CryptoError('not an AES-256-CBC file from openssl enc: the "Salted__" header is missing');
  }
  const body = buf.subarray(16);
  if (buf.length < 16 || body.length === 0) throw new CryptoError('truncated AES-256-CBC file: no ciphertext after the salt');
  if (body.length % 16 !== 0) {
    throw new CryptoError(`truncated AES-256-CBC file: ciphertext of ${body.length} bytes is not a whole number of 16-byte blocks`);
  }
  const digest = options.digest ?? DEFAULT_DIGEST;
  const { key, iv } = deriveKeyIv(passphrase, buf.subarray(8, 16), digest);
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new CryptoError(`AES-256-CBC decryption failed: wrong key, wrong digest (${digest}) or corrupted file`);
  }
}
