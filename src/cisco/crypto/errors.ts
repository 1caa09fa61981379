/** Encrypted or compressed content that cannot be read: wrong key, truncation, wrong format. */
export class CryptoError extends Error {
  override name = 'CryptoError';
}
