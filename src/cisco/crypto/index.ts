/**
 * Profile compression and encryption as Cisco MPP phones read them.
 *
 *   encodeProfile(xml, { gzip: true, encryption: { method: 'aes-256-cbc', key: 'SecretPhrase1234' } })
 *     // body readable by `openssl enc -d -aes-256-cbc -md md5 -k SecretPhrase1234 | gunzip`
 *   encodeProfile(xml, { encryption: { method: 'aes128gcm', ikm } })
 *     // { body, contentEncoding: 'aes128gcm' }
 *   decodeProfile(upload, { key: 'test123' })   // report uploads: CBC and/or gzip detected
 *
 * Failures (wrong key, truncation, bad format) throw CryptoError with a message saying which.
 */
export { encodeProfile, decodeProfile, type Encryption, type EncodeOptions, type EncodedBody, type DecodeOptions } from './pipeline';
export { encryptCbc, decryptCbc, deriveKeyIv, isOpensslSalted, DEFAULT_DIGEST, type OpensslDigest, type CbcOptions } from './openssl-cbc';
export { encryptAes128Gcm, decryptAes128Gcm, DEFAULT_RECORD_SIZE, type Aes128GcmOptions } from './aes128gcm';
export { CryptoError } from './errors';

/**
 * IKM_HTTP_Encrypt_Content as key material: its UTF-8 bytes. The guides do not say how the
 * phone encodes the IKM (digest §3.4); this is the assumption until a device shows otherwise.
 */
export function ikmFromParameter(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}
