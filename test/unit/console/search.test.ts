import { formatSearch, parseSearch } from '../../../src/console/app/lib/search';

describe('console device search', () => {
  it('sends free text to the server search', () => {
    expect(parseSearch('  00:1a:2b:3c:4d:5e ')).toEqual({ q: '00:1a:2b:3c:4d:5e' });
    expect(parseSearch('alice 1001')).toEqual({ q: 'alice 1001' });
    expect(parseSearch('')).toEqual({});
  });

  it('turns key:value words into the exact filters', () => {
    expect(parseSearch('tag:lobby class:CP-8851-3PCC version:12.0.1 FCH1234')).toEqual({ q: 'FCH1234', tag: ['lobby'], productClass: 'CP-8851-3PCC', softwareVersion: '12.0.1' });
    expect(parseSearch('tag:a tag:b')).toEqual({ tag: ['a', 'b'] });
    expect(parseSearch('Version:1.2')).toEqual({ softwareVersion: '1.2' });
  });

  it('keeps quoted values with spaces together', () => {
    expect(parseSearch('class:"Cisco IP Phone" x')).toEqual({ q: 'x', productClass: 'Cisco IP Phone' });
    expect(parseSearch('"two words"')).toEqual({ q: 'two words' });
  });

  it('leaves unknown keys and empty values as free text (a MAC with colons is not a filter)', () => {
    expect(parseSearch('serial:ABC')).toEqual({ q: 'serial:ABC' });
    expect(parseSearch('tag:')).toEqual({ q: 'tag:' });
    expect(parseSearch('00:1A:2B:3C:4D:5E')).toEqual({ q: '00:1A:2B:3C:4D:5E' });
  });

  it('formats a search back into the text that parses to it', () => {
    const search = { q: 'FCH', tag: ['a b'], productClass: 'CP-8851', softwareVersion: '12' };
    expect(parseSearch(formatSearch(search))).toEqual(search);
  });
});
