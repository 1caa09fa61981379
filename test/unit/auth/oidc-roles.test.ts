import { parseRoleMap, roleFromClaim } from '../../../src/auth/oidc/roles';

describe('OIDC role mapping', () => {
  const map = parseRoleMap('acs-admins=admin, noc=operator,staff=viewer');

  it('takes the strongest role any claim value maps to', () => {
    expect(roleFromClaim(['staff', 'noc', 'unrelated'], map)).toBe('operator');
    expect(roleFromClaim(['acs-admins', 'staff'], map)).toBe('admin');
    expect(roleFromClaim('staff', map)).toBe('viewer');
  });

  it('gives no role for a missing, unmapped or malformed claim', () => {
    expect(roleFromClaim(undefined, map)).toBeUndefined();
    expect(roleFromClaim(['admin'], map)).toBeUndefined();
    expect(roleFromClaim({ admin: true }, map)).toBeUndefined();
    expect(roleFromClaim([42, null], map)).toBeUndefined();
  });

  it('maps the role names themselves when no map is configured', () => {
    const identity = parseRoleMap(undefined);
    expect(roleFromClaim(['viewer', 'admin'], identity)).toBe('admin');
    expect(roleFromClaim('root', identity)).toBeUndefined();
  });

  it('names the bad entry of a malformed map', () => {
    expect(() => parseRoleMap('noc=superuser')).toThrow(/"superuser" in "noc=superuser"/);
    expect(() => parseRoleMap('noc')).toThrow(/"noc" is not claim-value=role/);
    expect(() => parseRoleMap('=admin')).toThrow(/"=admin"/);
  });
});
