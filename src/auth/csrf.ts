import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens of console sessions: an HMAC of the session (or pre-session) cookie under the
 * installation's secret. A page of the console reads it from `GET /api/v1/session` and sends
 * it back in `X-CSRF-Token`; another site can make a browser send the cookie but can neither
 * read it nor compute the token. Nothing is stored.
 */
export function csrfToken(secret: Buffer, cookieValue: string): string {
  return createHmac('sha256', secret).update(`acs-csrf\0${cookieValue}`).digest('base64url');
}

export function csrfMatches(secret: Buffer, cookieValue: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfToken(secret, cookieValue));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
