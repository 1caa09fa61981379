import { defaultDataDir } from '../stores/paths';
import { readLocalCredentials, type LocalCredentials } from './credentials';
import { findRunningLocalAcs } from './instance';

export { ensureLocalCredentials, readLocalCredentials, credentialsFile, type Credential, type LocalCredentials } from './credentials';
export { findRunningLocalAcs, recordLocalAcs, type LocalAcs } from './instance';
export { formatBanner, type BannerSection } from './banner';
export { createFirstAdminToken } from './first-admin';

/**
 * The ACS `npm start` of this checkout is running, with the credentials it generated: what
 * `acs sim` and the API commands default to when no URL is given.
 */
export function localAcs(dataDir: string = defaultDataDir()): { cwmpUrl?: string; apiUrl?: string; credentials?: LocalCredentials } | undefined {
  const running = findRunningLocalAcs(dataDir);
  if (!running) return undefined;
  return { cwmpUrl: running.cwmpUrl, apiUrl: running.apiUrl, credentials: readLocalCredentials(dataDir) };
}
