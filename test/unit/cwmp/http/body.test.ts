import { decodeText, sessionCookie } from '../../../../src/cwmp/http/body';

describe('CWMP body text', () => {
  it('decodes by the Content-Type charset, then the XML declaration, else UTF-8', () => {
    const latin = Buffer.from('<?xml version="1.0"?><x>caf\xe9</x>', 'latin1');
    expect(decodeText(latin, 'text/xml; charset="ISO-8859-1"')).toContain('café');
    const declared = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><x>caf\xe9</x>', 'latin1');
    expect(decodeText(declared, 'text/xml')).toContain('café');
    expect(decodeText(Buffer.from('\uFEFF<x>café</x>', 'utf8'), undefined)).toBe('<x>café</x>');
  });

  it('refuses a charset it cannot decode with 415', () => {
    expect(() => decodeText(Buffer.from('x'), 'text/xml; charset=klingon')).toThrow(expect.objectContaining({ status: 415 }));
  });
});

describe('session cookie', () => {
  it.each([
    ['session=abc', 'abc'],
    ['a=1; session=abc; b=2', 'abc'],
    ['a=1, session=abc', 'abc'],
    ['session="abc"', 'abc'],
    ['xsession=abc', undefined],
    ['', undefined],
  ])('%j → %j', (header, expected) => {
    expect(sessionCookie(header)).toBe(expected);
  });
});
