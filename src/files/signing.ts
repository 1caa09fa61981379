import { createHmac, timingSafeEqual } from 'node:crypto';
import { FileError } from './errors';
import { isDeviceKey } from '../devices/id';

/**
 * Per-device download URLs that expire. The signature is an HMAC-SHA-256 (key: the ACS secret
 * every replica shares) over the resource, the device it was made for and the expiry, so a
 * URL cannot be stretched in time, pointed at another file, or handed to another device by
 * editing it.
 *
 *   /files/<fileId>/<filename>?device=<deviceId>&expires=<unix s>&sig=<base64url>
 *   /profiles/<deviceId>/config.xml?expires=<unix s>&sig=<base64url>
 */

/** What a signed URL grants: one stored file, or the device's rendered configuration profile. */
export type SignedResource = { kind: 'file'; fileId: string } | { kind: 'profile' };

export interface SignedGrant {
  resource: SignedResource;
  deviceId: string;
  /** unix seconds */
  expires: number;
}

const SIG = /^[A-Za-z0-9_-]{43}$/;

export class UrlSigner {
  constructor(
    private readonly secret: Buffer,
    /** base URL devices reach the fs role at, without trailing slash */
    private readonly publicUrl: string,
  ) {}

  /** The device's URL for a stored file. */
  fileUrl(fileId: string, filename: string, deviceId: string, expiresAt: Date): string {
    const expires = unixSeconds(expiresAt);
    const sig = this.sign({ resource: { kind: 'file', fileId }, deviceId, expires });
    return `${this.publicUrl}/files/${fileId}/${encodeURIComponent(filename)}?device=${encodeURIComponent(deviceId)}&expires=${expires}&sig=${sig}`;
  }

  /** The device's URL for its configuration profile, rendered when fetched. */
  profileUrl(deviceId: string, expiresAt: Date): string {
    const expires = unixSeconds(expiresAt);
    const sig = this.sign({ resource: { kind: 'profile' }, deviceId, expires });
    return `${this.publicUrl}/profiles/${encodeURIComponent(deviceId)}/config.xml?expires=${expires}&sig=${sig}`;
  }

  sign(grant: SignedGrant): string {
    return this.mac(grant).toString('base64url');
  }

  /**
   * Checks a grant read from a URL: a malformed or forged one is refused with 403, an expired
   * one with 410, and the message says which.
   */
  verify(grant: SignedGrant, sig: string | undefined, now = Date.now()): void {
    if (!sig || !SIG.test(sig)) throw new FileError(403, 'signed URL refused: the signature is missing or malformed');
    if (!isDeviceKey(grant.deviceId)) throw new FileError(403, 'signed URL refused: the device is missing or malformed');
    if (!Number.isSafeInteger(grant.expires) || grant.expires <= 0) throw new FileError(403, 'signed URL refused: the expiry is missing or malformed');
    // Compared as text: base64url decoding ignores the last character's low bits.
    if (!timingSafeEqual(Buffer.from(sig), Buffer.from(this.mac(grant).toString('base64url')))) {
      throw new FileError(403, 'signed URL refused: the signature does not match (forged, altered, or made for another device or file)');
    }
    if (grant.expires * 1000 <= now) throw new FileError(410, `signed URL expired at ${new Date(grant.expires * 1000).toISOString()}`);
  }

  private mac(grant: SignedGrant): Buffer {
    const resource = grant.resource.kind === 'file' ? `file:${grant.resource.fileId}` : 'profile';
    return createHmac('sha256', this.secret).update(`acs-fs-url/1\n${resource}\n${grant.deviceId}\n${grant.expires}`).digest();
  }
}

function unixSeconds(d: Date): number {
  return Math.ceil(d.getTime() / 1000);
}
