import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../../src/users';

it('hashes with scrypt under a fresh salt, and verifies only the right password', async () => {
  const a = await hashPassword('correct horse battery staple');
  const b = await hashPassword('correct horse battery staple');
  expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(a).not.toBe(b);
  expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
  expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
  expect(await verifyPassword('correct horse battery staple', 'plain')).toBe(false);
  const key = a.slice(a.lastIndexOf('$') + 1);
  const flipFirst = key[0] === 'A' ? 'B' : 'A';
  expect(await verifyPassword('correct horse battery staple', `${a.slice(0, a.length - key.length)}${flipFirst}${key.slice(1)}`)).toBe(false);
});

it('refuses a stored key written in another encoding of the same bytes', async () => {
  const a = await hashPassword('correct horse battery staple');
  // The 43rd character of a 32-byte key carries 4 bits and 2 spare ones: flipping its lowest
  // bit keeps the decoded key and changes the text.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(a[a.length - 1]);
  const other = `${a.slice(0, -1)}${alphabet[last ^ 1]}`;
  expect(Buffer.from(other.slice(other.lastIndexOf('$') + 1), 'base64url')).toEqual(Buffer.from(a.slice(a.lastIndexOf('$') + 1), 'base64url'));
  expect(await verifyPassword('correct horse battery staple', other)).toBe(false);
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
