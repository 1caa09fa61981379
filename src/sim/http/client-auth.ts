import { answerChallenge, pickChallenge, type DigestChallenge } from '../../cwmp/auth/digest';

export type AuthScheme = 'none' | 'basic' | 'digest';
export const AUTH_SCHEMES: readonly AuthScheme[] = ['none', 'basic', 'digest'];

export interface Credentials {
  username: string;
  password: string;
}

/**
 * A device's HTTP authentication toward the ACS. With Digest, the nonce the ACS handed out
 * is reused for later requests and later sessions with an increasing nonce count, as a
 * real CPE does, until the ACS answers 401 again (stale or not).
 */
export class ClientAuth {
  private challenge: DigestChallenge | undefined;
  private nc = 0;

  constructor(readonly scheme: AuthScheme) {}

  /** The Authorization header to send unasked (Basic, or Digest once a nonce is known). */
  header(method: string, uri: string, creds: Credentials): string | undefined {
    if (this.scheme === 'basic') return basicAuthorization(creds);
    if (this.scheme === 'digest' && this.challenge) {
      this.nc += 1;
      return answerChallenge(this.challenge, { username: creds.username, password: creds.password, method, uri, nc: this.nc });
    }
    return undefined;
  }

  /**
   * Takes the challenge of a 401 (SHA-256 preferred over MD5). Returns false when it cannot
   * be answered: not Digest, or the same credentials were just refused with a fresh nonce.
   */
  adopt(wwwAuthenticate: string[], justAnsweredFresh: boolean): boolean {
    if (this.scheme !== 'digest') return false;
    const challenge = pickChallenge(wwwAuthenticate);
    if (!challenge || (justAnsweredFresh && !challenge.stale)) return false;
    this.challenge = challenge;
    this.nc = 0;
    return true;
  }
}

export function basicAuthorization(creds: Credentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`, 'utf8').toString('base64')}`;
}
