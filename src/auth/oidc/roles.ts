import { API_ROLES, isApiRole, roleAllows, type ApiRole } from '../roles';

/** Claim value -> console role, from ACS_CONSOLE_OIDC_ROLE_MAP (`value=role,value=role`). */
export type RoleMap = ReadonlyMap<string, ApiRole>;

/** The map when none is configured: the role names stand for themselves. */
const IDENTITY: RoleMap = new Map(API_ROLES.map((r) => [r, r]));

/** Parses `acs-admins=admin,noc=operator`; throws naming the first bad entry. */
export function parseRoleMap(text: string | undefined): RoleMap {
  if (text === undefined || text.trim() === '') return IDENTITY;
  const map = new Map<string, ApiRole>();
  for (const entry of text.split(',')) {
    const eq = entry.lastIndexOf('=');
    const value = entry.slice(0, eq).trim();
    const role = entry.slice(eq + 1).trim();
    if (eq < 1 || !value) throw new Error(`ACS_CONSOLE_OIDC_ROLE_MAP: ${JSON.stringify(entry)} is not claim-value=role`);
    if (!isApiRole(role)) throw new Error(`ACS_CONSOLE_OIDC_ROLE_MAP: ${JSON.stringify(role)} in ${JSON.stringify(entry)} is not one of ${API_ROLES.join(', ')}`);
    map.set(value, role);
  }
  return map;
}

/**
 * The strongest role the claim's value maps to; undefined when the claim is missing, not a
 * string or array of strings, or maps to nothing (the sign-in is then refused).
 */
export function roleFromClaim(claim: unknown, map: RoleMap): ApiRole | undefined {
  const values = typeof claim === 'string' ? [claim] : Array.isArray(claim) ? claim.filter((v): v is string => typeof v === 'string') : [];
  let best: ApiRole | undefined;
  for (const value of values) {
    const role = map.get(value);
    if (role && (!best || roleAllows(role, best))) best = role;
  }
  return best;
}
