export { ensureFirstAdmin, firstAdminLines, firstStartLines, FIRST_ADMIN, type FirstAdmin } from './first-admin';
export { generatePassword, hashPassword, passwordProblem, verifyPassword, SCRYPT_PARAMS } from './password';
export { USER_NAME, UserExistsError, UserStore, userView, type SignInResult, type UserDoc, type UserView } from './store';
