/**
 * Role visibility: the console shows a control only when the signed-in user's role may use
 * the operation behind it. The weakest role of each operation comes from the OpenAPI document
 * (`x-acs-role`), generated at build time, so the console and the server cannot disagree.
 */
export type Role = 'viewer' | 'operator' | 'admin';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAllows(have: Role | undefined, need: Role): boolean {
  return have !== undefined && RANK[have] >= RANK[need];
}

export type OperationRoles = Readonly<Record<string, Role>>;

/** The weakest role of every operation in an OpenAPI document. */
export function operationRoles(doc: { paths: Record<string, Record<string, unknown>> }): Record<string, Role> {
  const roles: Record<string, Role> = {};
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      const { operationId, 'x-acs-role': role } = op as { operationId?: string; 'x-acs-role'?: Role };
      if (operationId && role) roles[operationId] = role;
    }
  }
  return roles;
}

/** May `role` call `operationId`? An operation the document does not know is refused. */
export function canCall(roles: OperationRoles, role: Role | undefined, operationId: string): boolean {
  const need = roles[operationId];
  return need !== undefined && roleAllows(role, need);
}
