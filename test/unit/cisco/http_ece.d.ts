/** The parts of http_ece (RFC 8188 reference implementation, no bundled types) the tests use. */
declare module 'http_ece' {
  interface Params {
    version?: 'aes128gcm';
    key?: Buffer;
    rs?: number;
    keyid?: Buffer;
    salt?: Buffer;
  }
  export function encrypt(buffer: Buffer, params: Params): Buffer;
  export function decrypt(buffer: Buffer, params: Params): Buffer;
}
