import {
  answerChallenge,
  expectedResponse,
  formatChallenge,
  ha1,
  NonceIssuer,
  parseAuthParams,
  parseDigestAuthorization,
  parseDigestChallenge,
  pickChallenge,
} from '../../../../src/cwmp/auth/digest';

describe('Digest (RFC 7616)', () => {
  // RFC 7616 §3.9.1 worked example.
  const rfc = {
    username: 'Mufasa',
    password: 'Circle of Life',
    realm: 'http-auth@example.org',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  };

  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const)('computes the RFC 7616 %s response', (algorithm, response) => {
    const header = `Digest username="${rfc.username}", realm="${rfc.realm}", uri="${rfc.uri}", algorithm=${algorithm}, nonce="${rfc.nonce}", nc=00000001, cnonce="${rfc.cnonce}", qop=auth, response="${response}", opaque="${rfc.opaque}"`;
    const creds = parseDigestAuthorization(header)!;
    expect(creds).toMatchObject({ username: 'Mufasa', algorithm, qop: 'auth', nc: '00000001' });
    expect(expectedResponse(creds, 'GET', ha1(algorithm, rfc.username, rfc.realm, rfc.password))).toBe(response);
  });

  it('computes the RFC 2617 MD5 example and a response without qop', () => {
    const creds = parseDigestAuthorization(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )!;
    expect(expectedResponse(creds, 'GET', ha1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life'))).toBe('6629fae49393a05397450978507c4ef1');
    const legacy = parseDigestAuthorization('Digest username="u", realm="r", nonce="n", uri="/", response="x"')!;
    expect(legacy.qop).toBeUndefined();
    expect(expectedResponse(legacy, 'POST', ha1('MD5', 'u', 'r', 'p'))).toMatch(/^[0-9a-f]{32}$/);
  });

  it('round-trips a challenge through the client and the server side', () => {
    const header = formatChallenge({ realm: 'cwmp "acs"', nonce: 'abc', algorithm: 'SHA-256', opaque: 'o', stale: true });
    const challenge = parseDigestChallenge(header)!;
    expect(challenge).toEqual({ realm: 'cwmp "acs"', nonce: 'abc', algorithm: 'SHA-256', qop: ['auth'], opaque: 'o', stale: true });
    const auth = answerChallenge(challenge, { username: 'cpe', password: 'secret', method: 'POST', uri: '/acs', nc: 3 });
    const creds = parseDigestAuthorization(auth)!;
    expect(creds.nc).toBe('00000003');
    expect(expectedResponse(creds, 'POST', ha1('SHA-256', 'cpe', 'cwmp "acs"', 'secret'))).toBe(creds.response);
    expect(expectedResponse(creds, 'POST', ha1('SHA-256', 'cpe', 'cwmp "acs"', 'wrong'))).not.toBe(creds.response);
    expect(expectedResponse(creds, 'GET', ha1('SHA-256', 'cpe', 'cwmp "acs"', 'secret'))).not.toBe(creds.response);
  });

  it('supports the -sess variants', () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n1", qop="auth", algorithm=MD5-sess')!;
    const creds = parseDigestAuthorization(answerChallenge(challenge, { username: 'u', password: 'p', method: 'GET', uri: '/x' }))!;
    expect(creds.algorithm).toBe('MD5-sess');
    expect(expectedResponse(creds, 'GET', ha1('MD5', 'u', 'r', 'p'))).toBe(creds.response);
  });

  it('prefers SHA-256 among several challenges', () => {
    const md5 = formatChallenge({ realm: 'r', nonce: 'n', algorithm: 'MD5', stale: false });
    const sha = formatChallenge({ realm: 'r', nonce: 'n', algorithm: 'SHA-256', stale: false });
    expect(pickChallenge([md5, sha])!.algorithm).toBe('SHA-256');
    expect(pickChallenge(['Basic realm="x"', md5])!.algorithm).toBe('MD5');
    expect(pickChallenge(['Basic realm="x"'])).toBeUndefined();
  });

  it.each([
    ['not digest', 'Basic dXNlcjpwYXNz'],
    ['unterminated quote', 'Digest username="u, realm="r", nonce="n", uri="/", response="x"'],
    ['missing response', 'Digest username="u", realm="r", nonce="n", uri="/"'],
    ['qop without nc', 'Digest username="u", realm="r", nonce="n", uri="/", response="x", qop=auth, cnonce="c"'],
    ['bad nc', 'Digest username="u", realm="r", nonce="n", uri="/", response="x", qop=auth, nc=zz, cnonce="c"'],
    ['unsupported qop', 'Digest username="u", realm="r", nonce="n", uri="/", response="x", qop=auth-int, nc=00000001, cnonce="c"'],
    ['unknown algorithm', 'Digest username="u", realm="r", nonce="n", uri="/", response="x", algorithm=SHA-512'],
    ['duplicate parameter', 'Digest username="u", username="v", realm="r", nonce="n", uri="/", response="x"'],
    ['garbage', 'Digest ====='],
  ])('rejects an Authorization header with %s', (_why, header) => {
    expect(parseDigestAuthorization(header)).toBeUndefined();
  });

  it('parses quoted-pair escapes and empty values', () => {
    expect(parseAuthParams('a="x\\"y", b=, c=tok')).toEqual(new Map([['a', 'x"y'], ['b', ''], ['c', 'tok']]));
    expect(parseAuthParams('a="\\\\", b="\\q\\"\\"", c="1\\\\2\\"3"')).toEqual(new Map([['a', '\\'], ['b', 'q""'], ['c', '1\\2"3']]));
    expect(parseAuthParams('a="open')).toBeUndefined();
    expect(parseAuthParams('a="ends in an escape\\')).toBeUndefined();
    expect(parseAuthParams('a="x\\"')).toBeUndefined();
    expect(parseAuthParams('k_e*y-9=v')).toEqual(new Map([['k_e*y-9', 'v']]));
    expect(parseAuthParams('k.y=v')).toBeUndefined();
  });
});

describe('NonceIssuer', () => {
  const secret = Buffer.alloc(32, 7);
  const issuer = new NonceIssuer(secret, 60_000);

  it('accepts its own fresh nonces, reports expired ones as stale', () => {
    const t = Date.UTC(2026, 0, 1);
    const nonce = issuer.issue(t);
    expect(issuer.check(nonce, t + 1000)).toBe('valid');
    expect(issuer.check(nonce, t + 61_000)).toBe('stale');
    expect(issuer.issue(t)).not.toBe(nonce);
  });

  it('refuses nonces it did not issue or that were altered', () => {
    const nonce = issuer.issue();
    // checked once, so remembered: an altered copy must still be refused
    expect(issuer.check(nonce)).toBe('valid');
    expect(new NonceIssuer(Buffer.alloc(32, 8), 60_000).check(nonce)).toBe('invalid');
    const flipped = (nonce[5] === 'A' ? 'B' : 'A');
    expect(issuer.check(nonce.slice(0, 5) + flipped + nonce.slice(6))).toBe('invalid');
    expect(issuer.check('short')).toBe('invalid');
    expect(issuer.check('x'.repeat(40))).toBe('invalid');
    expect(issuer.check(nonce)).toBe('valid');
  });

  it('refuses nonces dated in the future', () => {
    const t = Date.now();
    const early = issuer.issue(t + 10 * 60_000);
    expect(issuer.check(early, t)).toBe('invalid');
    // the verdict depends on the time of each check, not on the first one
    expect(issuer.check(early, t + 10 * 60_000)).toBe('valid');
    expect(issuer.check(early, t)).toBe('invalid');
  });
});
