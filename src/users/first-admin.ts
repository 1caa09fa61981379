import { generatePassword } from './password';
import { UserExistsError, type UserStore } from './store';

export const FIRST_ADMIN = 'admin';

export interface FirstAdmin {
  name: string;
  /** shown once, never stored in clear */
  password: string;
}

/**
 * On a fresh installation (no user at all) creates the admin `admin` with a random password.
 * Replicas starting together race on the insert; only the one that wins returns the password,
 * so it is shown exactly once.
 */
export async function ensureFirstAdmin(users: UserStore): Promise<FirstAdmin | undefined> {
  if (!(await users.none())) return undefined;
  const password = generatePassword();
  try {
    await users.create({ name: FIRST_ADMIN, role: 'admin', password, createdBy: 'first-start' });
  } catch (err) {
    if (err instanceof UserExistsError) return undefined;
    throw err;
  }
  return { name: FIRST_ADMIN, password };
}

/** The lines the start banner prints for the first admin: marked so nobody misses them. */
export function firstAdminLines(admin: FirstAdmin): string[] {
  return [
    '*** FIRST START: console user created, password shown only this once ***',
    `***   user: ${admin.name}   password: ${admin.password}`,
    `***   change it after signing in, or: acs user reset-password ${admin.name}`,
  ];
}

/**
 * What `serve` prints at start about console users: on a fresh installation the first admin's
 * credentials (created now), otherwise nothing. The start banner folds these lines in.
 */
export async function firstStartLines(users: UserStore): Promise<string[]> {
  const admin = await ensureFirstAdmin(users);
  return admin ? firstAdminLines(admin) : [];
}
