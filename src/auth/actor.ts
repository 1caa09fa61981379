import type { ApiRole } from './roles';

/**
 * Who is calling, whichever way they proved it: an API token or a person signed in to the
 * console. Both carry a role and pass the same permission check (`roleAllows`); the audit
 * log records which kind it was.
 */
export type Actor = TokenActor | UserActor;

export interface TokenActor {
  kind: 'token';
  tokenId: string;
  name: string;
  role: ApiRole;
}

export interface UserActor {
  kind: 'user';
  /** the user name */
  name: string;
  role: ApiRole;
}

/** Someone not (yet) known: a failed sign-in names the user name that was tried. */
export interface AnonymousActor {
  kind: 'anonymous';
  name: string;
}

/** A phone that acted on its own, proven by its client certificate (a retail binding, S18). */
export interface DeviceActor {
  kind: 'device';
  /** `MAC <12 hex digits>` */
  name: string;
}
