export type { Actor, AnonymousActor, DeviceActor, TokenActor, UserActor } from './actor';
export { csrfMatches, csrfToken } from './csrf';
export { LoginLockout, type LockoutLimits } from './lockout';
export { API_ROLES, isApiRole, roleAllows, type ApiRole } from './roles';
export { isSessionId, SessionStore, type SessionLimits, type SessionRecord, type SsoIdentity } from './sessions';
export { parseToken, TokenRepository, type TokenDoc, type TokenView } from './tokens';
