/**
 * The delivery pipeline of 001 L818 and 003 L808-810: XML, then optional gzip, then optional
 * encryption (AES-256-CBC for rules with `--key`, RFC 8188 aes128gcm with the phone's IKM
 * otherwise), and its reverse for report uploads.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { decryptAes128Gcm, encryptAes128Gcm, type Aes128GcmOptions } from './aes128gcm';
import { CryptoError } from './errors';
import { decryptCbc, encryptCbc, isOpensslSalted, type OpensslDigest } from './openssl-cbc';

export type Encryption =
  | { method: 'aes-256-cbc'; key: string; digest?: OpensslDigest }
  | ({ method: 'aes128gcm'; ikm: Uint8Array } & Pick<Aes128GcmOptions, 'recordSize' | 'keyId'>);

export interface EncodeOptions {
  gzip?: boolean;
  encryption?: Encryption;
}

export interface EncodedBody {
  body: Buffer;
  /** `aes128gcm` when the body must be sent with that Content-Encoding header (001 L1028). */
  contentEncoding?: 'aes128gcm';
}

export function encodeProfile(xml: string | Uint8Array, options: EncodeOptions = {}): EncodedBody {
  let body = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
  if (options.gzip) body = gzipSync(body);
  const enc = options.encryption;
  if (!enc) return { body };
  if (enc.method === 'aes-256-cbc') return { body: encryptCbc(body, enc.key, { digest: enc.digest }) };
  return { body: encryptAes128Gcm(body, enc.ikm, { recordSize: enc.recordSize, keyId: enc.keyId }), contentEncoding: 'aes128gcm' };
}

export interface DecodeOptions {
  /** The `--key` of the rule, for AES-256-CBC bodies. */
  key?: string;
  digest?: OpensslDigest;
  /** The device's IKM, for bodies sent with `Content-Encoding: aes128gcm`. */
  ikm?: Uint8Array;
  contentEncoding?: string;
  /** Largest accepted result after gunzip, in bytes (default 16 MiB). */
  maxBytes?: number;
}

const GZIP = Buffer.from([0x1f, 0x8b]);

/** Decrypts and gunzips an uploaded report or a served profile, detecting each layer. */
export function decodeProfile(body: Uint8Array, options: DecodeOptions = {}): Buffer {
  let data = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  if (options.contentEncoding?.toLowerCase() === 'aes128gcm') {
    if (!options.ikm) throw new CryptoError('content is aes128gcm-encrypted but no IKM is known for the device');
    data = decryptAes128Gcm(data, options.ikm);
  } else if (isOpensslSalted(data)) {
    if (options.key === undefined) throw new CryptoError('content is AES-256-CBC-encrypted but the rule has no --key');
    data = decryptCbc(data, options.key, { digest: options.digest });
  }
  if (data.subarray(0, 2).equals(GZIP)) {
    try {
      data = gunzipSync(data, { maxOutputLength: maxBytes });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CryptoError(
        code === 'ERR_BUFFER_TOO_LARGE'
          ? `gzip content expands beyond ${maxBytes} bytes`
          : `gzip content is truncated or corrupted (${(err as Error).message})`,
      );
    }
  }
  return data;
}
