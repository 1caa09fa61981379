import { createHmac } from 'node:crypto';

/**
 * Per-device profile encryption keys. A key is derived from the ACS secret and the device id,
 * so it is never stored, never listed by the API and the same on every replica; it changes only
 * with ACS_SECRET. The phone learns it as GPP_SD in a profile it fetched with proof of identity
 * and then follows `[--key $SD]` rules: every later profile is AES-256-CBC ciphertext under a
 * key no other phone has, so a leaked or sniffed file reveals nothing.
 */
export const DEVICE_KEY_PARAMETER = 'GPP_SD';

export class DeviceKeys {
  constructor(private readonly secret: Buffer) {}

  keyFor(deviceId: string): string {
    return createHmac('sha256', this.secret).update(`acs-phone-key/1\n${deviceId}`).digest('base64url');
  }
}
