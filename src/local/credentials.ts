import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Credential {
  username: string;
  password: string;
}

/**
 * The credentials a local ACS (`npm start`) uses when none is configured: the global device
 * credential and the connection-request credential. Generated on first start and kept with
 * the local data, so `acs sim` of the same checkout can use them too.
 */
export interface LocalCredentials {
  device: Credential;
  connectionRequest: Credential;
}

export const CREDENTIALS_FILE = 'credentials.json';

export function credentialsFile(dataDir: string): string {
  return path.join(dataDir, CREDENTIALS_FILE);
}

/** The credentials kept in `dataDir`, or undefined when there are none (or the file is damaged). */
export function readLocalCredentials(dataDir: string): LocalCredentials | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(credentialsFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  const c = parsed as Partial<LocalCredentials> | null;
  return isCredential(c?.device) && isCredential(c?.connectionRequest) ? { device: c.device, connectionRequest: c.connectionRequest } : undefined;
}

/** Reads the credentials, creating them (readable by this user only) on first use. */
export function ensureLocalCredentials(dataDir: string): { credentials: LocalCredentials; created: boolean } {
  const existing = readLocalCredentials(dataDir);
  if (existing) return { credentials: existing, created: false };
  const credentials: LocalCredentials = {
    device: { username: 'acs-device', password: secret() },
    connectionRequest: { username: 'acs-cr', password: secret() },
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(credentialsFile(dataDir), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { credentials, created: true };
}

function secret(): string {
  return randomBytes(18).toString('base64url');
}

function isCredential(c: unknown): c is Credential {
  const x = c as Partial<Credential> | undefined;
  return typeof x?.username === 'string' && typeof x.password === 'string' && x.username.length > 0 && x.password.length > 0;
}
