import { loadCatalogue } from '../../../src/cisco/catalogue';
import { certificateNames } from '../../../src/devices/certificate-identity';
import {
  decideAccess,
  DeviceKeys,
  judgeCertificate,
  PhoneTokens,
  profilePathProblem,
  secretNames,
  secureEntries,
  splitToken,
  withoutSecrets,
  withToken,
  type AccessPolicy,
} from '../../../src/provisioning';

describe('secrets of a profile', () => {
  it('leaves out every parameter the catalogue types as secret, and instances it does not list', () => {
    const secret = loadCatalogue().entries.filter((e) => e.secret);
    expect(secret.map((e) => e.name)).toEqual(expect.arrayContaining(['Password_1_', 'ACS_Password', 'Connection_Request_Password', 'GPP_SA', 'GPP_SD', 'IKM_HTTP_Encrypt_Content']));
    const entries = [...secret.map((e) => ({ name: e.name, value: `v-${e.name}` })), { name: 'Password_12_', value: 'x' }, { name: 'Station_Name', value: 'Desk' }];
    expect(withoutSecrets(entries)).toEqual([{ name: 'Station_Name', value: 'Desk' }]);
  });

  it('treats inline rule credentials as secrets, a $S? reference not, and a GPP a rule takes its key from as one', () => {
    const entries = [
      { name: 'Profile_Rule', value: '[--key $SC] http://p/cisco/$MA.xml' },
      { name: 'Profile_Rule_B', value: '[--key "my secret"] http://p/b.xml' },
      { name: 'Profile_Rule_C', value: '[--uid u --pwd pw] http://p/c.xml' },
      { name: 'Profile_Rule_D', value: 'https://user:pw@p/d.xml' },
      { name: 'Report_Rule', value: '[--delta --key $A]http://p/r.xml' },
      { name: 'GPP_A', value: 'key-in-a' },
      { name: 'GPP_B', value: 'not a key' },
      { name: 'Upgrade_Rule', value: 'http://p/fw.loads' },
    ];
    expect([...secretNames(entries)].sort()).toEqual(['GPP_A', 'Profile_Rule_B', 'Profile_Rule_C', 'Profile_Rule_D']);
  });

  it('keeps self-closing and empty entries: they carry nothing', () => {
    expect(secretNames([{ name: 'Password_1_', value: '', selfClosing: true }, { name: 'ACS_Password', value: '' }]).size).toBe(0);
  });
});

describe('per-device tokens', () => {
  const secret = Buffer.from('s'.repeat(32));
  const tokens = new PhoneTokens(secret, 3600);
  const now = Date.UTC(2026, 0, 10, 12);

  it('verifies for its device until it expires, and carries the device-key flag', () => {
    const t = tokens.issue('dev-1', { deviceKey: true }, now);
    expect(tokens.verify('dev-1', t, now)).toEqual({ ok: true, deviceKey: true });
    // Rounded up to whole days: stable within a day, valid at least the TTL.
    expect(tokens.issue('dev-1', { deviceKey: true }, now + 60_000)).toBe(t);
    expect(tokens.verify('dev-1', t, now + 3600_000).ok).toBe(true);
    expect(tokens.verify('dev-1', t, now + 2 * 86_400_000)).toEqual({ ok: false, reason: expect.stringMatching(/^token refused: expired at 2026-01-11T00:00:00/) });
  });

  it('refuses another device, an edited flag, another secret and garbage', () => {
    const t = tokens.issue('dev-1', { deviceKey: false }, now);
    expect(tokens.verify('dev-2', t, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/signature does not match/) });
    expect(tokens.verify('dev-1', t.replace('.0.', '.k.'), now)).toMatchObject({ ok: false });
    expect(new PhoneTokens(Buffer.from('o'.repeat(32)), 3600).verify('dev-1', t, now)).toMatchObject({ ok: false });
    // The last base64url character's low bits decode to nothing: still refused when edited.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = t.slice(0, -1) + alphabet[alphabet.indexOf(t.slice(-1)) ^ 1];
    expect(Buffer.from(sameBytes.split('.')[2], 'base64url')).toEqual(Buffer.from(t.split('.')[2], 'base64url'));
    expect(tokens.verify('dev-1', sameBytes, now)).toMatchObject({ ok: false });
    const longer = `${t.split('.')[0]}0.${t.split('.').slice(1).join('.')}`;
    expect(tokens.verify('dev-1', longer, now)).toMatchObject({ ok: false });
    for (const bad of ['', 'x', `${t}x`, t.replace(/\.0\./, '.z.')]) expect(tokens.verify('dev-1', bad, now)).toEqual({ ok: false, reason: 'token refused: malformed' });
  });

  it('is appended to and taken from URLs, whatever query they carry', () => {
    expect(withToken('http://h/a.xml', 'T')).toBe('http://h/a.xml?acs_token=T');
    expect(withToken('https://h/config?cisco$MAU', 'T')).toBe('https://h/config?cisco$MAU&acs_token=T');
    expect(withToken('http://h/p?', 'T')).toBe('http://h/p?acs_token=T');
    expect(splitToken('/a.xml?acs_token=T')).toEqual({ target: '/a.xml', token: 'T', repeated: false });
    expect(splitToken('/p?id=1&acs_token=T')).toEqual({ target: '/p?id=1', token: 'T', repeated: false });
    expect(splitToken('/p?id=1')).toEqual({ target: '/p?id=1', repeated: false });
    expect(splitToken('/p?acs_token=T&acs_token=U').repeated).toBe(true);
  });
});

describe('rules rendered for a proven phone', () => {
  const own = ['acs.example:80', '127.0.0.1:7567'];

  it('get the token where they point back at the fs role, and --key $SD with a device key', () => {
    const out = secureEntries(
      [
        { name: 'Profile_Rule', value: 'http://acs.example/cisco/$MA.xml' },
        { name: 'Profile_Rule_B', value: '("$A" ne "x")? [--key $SC] http://127.0.0.1:7567/cisco/b$MA.cfg | https://other.example/c.xml' },
        { name: 'Profile_Rule_C', value: 'http://acs.example:8080/cisco/$MA.xml' },
        { name: 'Report_Rule', value: 'http://acs.example/cisco/report/config/$MA.xml' },
      ],
      { ownHosts: own, token: 'TOK', deviceKey: 'KEY' },
    );
    expect(out).toEqual([
      { name: 'Profile_Rule', value: '[--key $SD] http://acs.example/cisco/$MA.xml?acs_token=TOK' },
      { name: 'Profile_Rule_B', value: '("$A" ne "x")? [--key $SC] http://127.0.0.1:7567/cisco/b$MA.cfg?acs_token=TOK | https://other.example/c.xml' },
      { name: 'Profile_Rule_C', value: 'http://acs.example:8080/cisco/$MA.xml' },
      { name: 'Report_Rule', value: 'http://acs.example/cisco/report/config/$MA.xml' },
      { name: 'GPP_SD', value: 'KEY' },
    ]);
  });

  it('derive a different key for every device from the ACS secret', () => {
    const keys = new DeviceKeys(Buffer.from('s'.repeat(32)));
    expect(keys.keyFor('a')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.keyFor('a')).toBe(keys.keyFor('a'));
    expect(keys.keyFor('a')).not.toBe(keys.keyFor('b'));
    expect(new DeviceKeys(Buffer.from('o'.repeat(32))).keyFor('a')).not.toBe(keys.keyFor('a'));
  });
});

describe('the access decision', () => {
  const redact: AccessPolicy = { unproven: 'redact', insecure: false };
  const refuse: AccessPolicy = { unproven: 'refuse', insecure: false };

  it('serves in full only with proof when the profile holds secrets', () => {
    const proof = { by: 'token', deviceKey: false } as const;
    expect(decideAccess(redact, { proof, hasSecrets: true, credentialsKnown: false })).toEqual({ serve: 'full', proof });
    expect(decideAccess(redact, { hasSecrets: true, credentialsKnown: false })).toEqual({ serve: 'redacted' });
    expect(decideAccess(refuse, { hasSecrets: true, credentialsKnown: false })).toMatchObject({ challenge: true });
    // A phone with credentials sends them only when challenged.
    expect(decideAccess(redact, { hasSecrets: true, credentialsKnown: true })).toMatchObject({ challenge: true });
    expect(decideAccess(refuse, { hasSecrets: false, credentialsKnown: false })).toEqual({ serve: 'full' });
    expect(decideAccess({ unproven: 'refuse', insecure: true }, { hasSecrets: true, credentialsKnown: true })).toEqual({ serve: 'full', proof: { by: 'insecure-mode' } });
  });

  it('takes a certificate as proof only for the device it names exactly', () => {
    const mic = certificateNames({ OU: 'CP-8851-3PCC', L: 'FCH123', ST: '00562b0c0001' });
    expect(judgeCertificate(mic, { serialNumber: 'FCH123', mac: '00562b0c0001' })).toEqual({ match: 'mic-serial' });
    expect(judgeCertificate(mic, { serialNumber: 'FCH1234', mac: '00562b0c0002' })).toEqual({ mismatch: expect.stringMatching(/another device \(00562b0c0001\)/) });
    expect(judgeCertificate(certificateNames({ OU: 'cisco.com', L: 'ciscogeneric', ST: 'ciscogeneric' }), { serialNumber: 'FCH123' })).toBeUndefined();
    expect(judgeCertificate(certificateNames({ CN: 'FCH123' }), { serialNumber: 'fch123' })).toEqual({ match: 'common-name' });
    expect(judgeCertificate(certificateNames({ CN: 'FCH12' }), { serialNumber: 'FCH123' })).toBeUndefined();
  });

  it('refuses profile file names with two extensions or odd characters', () => {
    expect(profilePathProblem('/cisco/CP-8851-3PCC00562b0c0001.cfg')).toBeUndefined();
    expect(profilePathProblem('/cisco/resyncs/00562b0c0001')).toBeUndefined();
    expect(profilePathProblem('/cisco/00:56:2b:0c:00:01.xml')).toBeUndefined();
    expect(profilePathProblem('/cisco/00562b0c0001.xml.bak')).toMatch(/at most one extension/);
    expect(profilePathProblem('/cisco/00562b0c0001.xml;.cfg')).toMatch(/characters/);
  });
});
