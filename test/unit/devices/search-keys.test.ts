import { searchKeysOf, searchTerms, searchText } from '../../../src/devices/search-keys';

it('reads MACs in every common notation, and their starts, as bare hex', () => {
  for (const q of ['00:0E:08:AA:BB:CC', '00-0e-08-aa-bb-cc', '000e.08aa.bbcc', '000E08AABBCC']) expect(searchTerms(q)).toContain('000e08aabbcc');
  expect(searchTerms('00:0e:08')).toEqual(['00:0e:08', '000e08']);
  expect(searchTerms('floor-3')).toEqual(['floor-3']);
  expect(searchTerms('   ')).toEqual([]);
});

it('normalises values so that a typed prefix is a plain string range', () => {
  expect(searchText('  Reception   Desk ')).toBe('reception\u00a0desk');
  expect(searchText('a"b!c\u0001d')).toBe('abcd');
  expect(searchText('x'.repeat(500))).toHaveLength(128);
});

it('indexes identity, addresses, tags, versions and line values once each', () => {
  const keys = searchKeysOf(
    {
      _id: '00562B-CP%2D8851%2D3PCC-FCH1',
      deviceId: { manufacturer: 'Cisco', oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: 'FCH1' },
      softwareVersion: 'sip88xx.12',
      connectionRequestUrl: 'http://[fd00::7]:7547/cr',
      remoteAddress: '10.0.0.9',
      mac: '00562baabbcc',
      tags: ['Lab', 'lab'],
    },
    ['2001', 'Reception'],
  );
  expect(Object.fromEntries(keys)).toEqual({
    '00562b-cp%2d8851%2d3pcc-fch1': 'id',
    fch1: 'serial',
    '00562baabbcc': 'mac',
    'cp-8851-3pcc': 'productClass',
    'sip88xx.12': 'softwareVersion',
    '10.0.0.9': 'ip',
    'fd00::7': 'ip',
    lab: 'tag',
    '2001': 'line',
    reception: 'line',
  });
});
