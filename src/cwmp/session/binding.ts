import type { CwmpRequest } from './engine';
import type { SessionState } from './state';

/**
 * Why a request cannot speak for the session its cookie names, if it cannot. A cookie alone is
 * not enough: the request must come from the client address that opened the session and must
 * not present another TLS client certificate. HTTP credentials are checked by the engine,
 * which verifies them against the device's own.
 */
export function bindingMismatch(state: SessionState, req: CwmpRequest): string | undefined {
  if (req.source !== state.remoteAddress) return 'request from another address than the one that opened the session';
  const cert = req.clientCertificate?.fingerprint;
  if (state.identity?.certificate && cert && cert !== state.identity.certificate) return 'request with another client certificate than the one that opened the session';
  return undefined;
}
