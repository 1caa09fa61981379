import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../../src/users';

it('hashes with scrypt under a fresh salt, and verifies only the right password', async () => {
  const a = await hashPassword('correct horse battery staple');
  const b = await hashPassword('correct horse battery staple');
  expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(a).not.toBe(b);
  expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
  expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
  expect(await verifyPassword('correct horse battery staple', 'plain')).toBe(false);
  expect(await verifyPassword('correct horse battery staple', a.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBe(false);
});

it('reads the parameters from the stored hash, so they can change later', async () => {
  const { scryptSync } = await import('node:crypto');
  const salt = Buffer.from('0123456789abcdef');
  const key = scryptSync('older password 1', salt, 32, { N: 1024, r: 8, p: 1 });
  expect(await verifyPassword('older password 1', `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`)).toBe(true);
});

it('generates 24-character passwords and refuses short ones', () => {
  expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(passwordProblem('short')).toBe('must be at least 12 characters');
  expect(passwordProblem('x'.repeat(2000))).toBe('must be at most 1024 characters');
  expect(passwordProblem('long enough here')).toBeUndefined();
});
