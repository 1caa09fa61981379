/**
 * RFC 8188 `Content-Encoding: aes128gcm` with the input keying material (IKM) the phone holds
 * in IKM_HTTP_Encrypt_Content (001 L1019-1038).
 *
 * Built on node:crypto (HKDF and AES-128-GCM) rather than the `http_ece` package: http_ece
 * accepts only IKMs of exactly 16 bytes, while RFC 8188 allows any length and the phones'
 * IKM format is undocumented. The tests check interoperability against http_ece.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { CryptoError } from './errors';

const TAG = 16;
const HEADER = 21;
const CEK_INFO = Buffer.from('Content-Encoding: aes128gcm\0', 'ascii');
const NONCE_INFO = Buffer.from('Content-Encoding: nonce\0', 'ascii');
export const DEFAULT_RECORD_SIZE = 4096;

export interface Aes128GcmOptions {
  /** Record size rs (18..2^32-1); default 4096. */
  recordSize?: number;
  /** keyid header field; empty by default (the phone's expectation is undocumented). */
  keyId?: Buffer;
  /** 16 random bytes unless given (tests only). */
  salt?: Buffer;
}

function keys(ikm: Uint8Array, salt: Buffer): { key: Buffer; nonce: Buffer } {
  if (ikm.length === 0) throw new CryptoError('the input keying material (IKM) is empty');
  return {
    key: Buffer.from(hkdfSync('sha256', ikm, salt, CEK_INFO, 16)),
    nonce: Buffer.from(hkdfSync('sha256', ikm, salt, NONCE_INFO, 12)),
  };
}

/** The record nonce: the base nonce XOR the record's sequence number (RFC 8188 §2.3). */
function recordNonce(base: Buffer, seq: number): Buffer {
  const nonce = Buffer.from(base);
  for (let i = nonce.length - 1, s = seq; s > 0; i--, s = Math.floor(s / 256)) nonce[i] ^= s & 0xff;
  return nonce;
}

export function encryptAes128Gcm(plain: Uint8Array, ikm: Uint8Array, options: Aes128GcmOptions = {}): Buffer {
  const rs = options.recordSize ?? DEFAULT_RECORD_SIZE;
  if (!Number.isInteger(rs) || rs < 18 || rs > 0xffffffff) throw new CryptoError('record size must be 18..4294967295');
  const keyId = options.keyId ?? Buffer.alloc(0);
  if (keyId.length > 255) throw new CryptoError('keyid longer than 255 bytes');
  const salt = options.salt ?? randomBytes(16);
  if (salt.length !== 16) throw new CryptoError('the salt must be 16 bytes');
  const { key, nonce } = keys(ikm, salt);

  const header = Buffer.alloc(HEADER + keyId.length);
  salt.copy(header, 0);
  header.writeUInt32BE(rs, 16);
  header.writeUInt8(keyId.length, 20);
  keyId.copy(header, HEADER);

  const chunk = rs - TAG - 1;
  const parts: Buffer[] = [header];
  const data = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  for (let seq = 0, offset = 0; ; seq++, offset += chunk) {
    const last = offset + chunk >= data.length;
    const cipher = createCipheriv('aes-128-gcm', key, recordNonce(nonce, seq));
    parts.push(cipher.update(data.subarray(offset, offset + chunk)), cipher.update(Buffer.from([last ? 2 : 1])), cipher.final());
    parts.push(cipher.getAuthTag());
    if (last) break;
  }
  return Buffer.concat(parts);
}

export function decryptAes128Gcm(body: Uint8Array, ikm: Uint8Array): Buffer {
  const data = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (data.length < HEADER) throw new CryptoError('truncated aes128gcm content: the 21-byte header is incomplete');
  const rs = data.readUInt32BE(16);
  const idlen = data.readUInt8(20);
  if (rs < 18) throw new CryptoError(`invalid aes128gcm record size ${rs}`);
  const start = HEADER + idlen;
  if (data.length < start) throw new CryptoError('truncated aes128gcm content: the keyid is incomplete');
  if (data.length === start) throw new CryptoError('truncated aes128gcm content: no records');
  const { key, nonce } = keys(ikm, data.subarray(0, 16));

  const out: Buffer[] = [];
  for (let seq = 0, offset = start; offset < data.length; seq++, offset += rs) {
    const record = data.subarray(offset, Math.min(offset + rs, data.length));
    const atEnd = offset + rs >= data.length;
    if (record.length <= TAG) throw new CryptoError(`truncated aes128gcm content: record ${seq} is too short`);
    const decipher = createDecipheriv('aes-128-gcm', key, recordNonce(nonce, seq));
    decipher.setAuthTag(record.subarray(record.length - TAG));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(record.subarray(0, record.length - TAG)), decipher.final()]);
    } catch {
      throw new CryptoError(
        atEnd && record.length < rs && seq > 0
          ? `aes128gcm record ${seq} failed authentication: truncated content, wrong key or corrupted data`
          : `aes128gcm record ${seq} failed authentication: wrong key or corrupted data`,
      );
    }
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const delimiter = end >= 0 ? plain[end] : -1;
    if (atEnd && delimiter !== 2) {
      throw new CryptoError(
        delimiter === 1 ? 'truncated aes128gcm content: the last record is missing' : `aes128gcm record ${seq}: bad padding`,
      );
    }
    if (!atEnd && delimiter !== 1) throw new CryptoError(`aes128gcm record ${seq}: bad padding or misplaced last record`);
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}
