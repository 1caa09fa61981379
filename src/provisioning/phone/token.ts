import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Per-device tokens the ACS writes into the rules it renders for a phone (`Profile_Rule`
 * pointing at the fs role gets `?acs_token=...`), so the phone's later resyncs prove which
 * phone asks. A token is `<expiry, base 36>.<flags>.<HMAC-SHA-256>`, the HMAC keyed with the ACS
 * secret every replica shares, over the device id, the expiry and the flags: it cannot be
 * moved to another device, stretched in time or stripped of its flags.
 *
 * Flag `k`: the rule that carries the token encrypts with the device's own key (`--key $SD`), so
 * whoever holds the token still gets only ciphertext. `0`: no flag.
 *
 * Expiries are rounded up to a whole step, so one device's token (and the profile carrying it)
 * stays the same for a step and the rendered profile can be cached.
 */

export const TOKEN_PARAMETER = 'acs_token';

export type TokenCheck = { ok: true; deviceKey: boolean } | { ok: false; reason: string };

const FORMAT = /^([0-9a-z]{1,10})\.([0k])\.([A-Za-z0-9_-]{43})$/;
const STEP_SECONDS = 86_400;

export class PhoneTokens {
  constructor(
    private readonly secret: Buffer,
    /** how long a token stays valid after it was rendered */
    private readonly ttlSeconds: number,
  ) {}

  issue(deviceId: string, options: { deviceKey: boolean }, now = Date.now()): string {
    const expires = Math.ceil((now / 1000 + this.ttlSeconds) / STEP_SECONDS) * STEP_SECONDS;
    const flags = options.deviceKey ? 'k' : '0';
    return `${expires.toString(36)}.${flags}.${this.mac(deviceId, expires, flags).toString('base64url')}`;
  }

  /** Whether `token` was issued for this device and is still valid; reasons never echo it. */
  verify(deviceId: string, token: string, now = Date.now()): TokenCheck {
    const m = FORMAT.exec(token);
    if (!m) return { ok: false, reason: 'token refused: malformed' };
    const expires = parseInt(m[1], 36);
    // Compared as text: base64url decoding ignores the last character's low bits, so a token
    // edited there would decode to the same bytes.
    if (!timingSafeEqual(Buffer.from(m[3]), Buffer.from(this.mac(deviceId, expires, m[2]).toString('base64url')))) {
      return { ok: false, reason: 'token refused: the signature does not match (forged, altered, or made for another device)' };
    }
    if (expires * 1000 <= now) return { ok: false, reason: `token refused: expired at ${new Date(expires * 1000).toISOString()}` };
    return { ok: true, deviceKey: m[2] === 'k' };
  }

  private mac(deviceId: string, expires: number, flags: string): Buffer {
    return createHmac('sha256', this.secret).update(`acs-phone-token/1\n${deviceId}\n${expires}\n${flags}`).digest();
  }
}

/** The token of a request-target and the target without it (rules are matched without it). */
export function splitToken(target: string): { target: string; token?: string; repeated: boolean } {
  const q = target.indexOf('?');
  if (q < 0) return { target, repeated: false };
  const kept: string[] = [];
  const found: string[] = [];
  for (const part of target.slice(q + 1).split('&')) {
    if (part.startsWith(`${TOKEN_PARAMETER}=`)) found.push(part.slice(TOKEN_PARAMETER.length + 1));
    else kept.push(part);
  }
  if (!found.length) return { target, repeated: false };
  const rest = kept.join('&');
  return { target: target.slice(0, q) + (rest ? `?${rest}` : ''), token: found[0], repeated: found.length > 1 };
}

/** A URL with the token appended to its query. */
export function withToken(url: string, token: string): string {
  const sep = !url.includes('?') ? '?' : url.endsWith('?') || url.endsWith('&') ? '' : '&';
  return `${url}${sep}${TOKEN_PARAMETER}=${token}`;
}
