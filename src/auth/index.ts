export { API_ROLES, isApiRole, roleAllows, type ApiRole } from './roles';
export { parseToken, TokenRepository, type Actor, type TokenDoc, type TokenView } from './tokens';
