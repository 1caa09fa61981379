import { expandMacros, macroContext, macroReferences, MacroError, productSeriesOf } from '../../../src/cisco/macros';

describe('expandMacros (digest §4, §13.3, S13)', () => {
  const ctx = macroContext({ mac: '000E08012345', gpp: { A: 'ABCDEF', B: 'Dj6Lmp23Q' } });

  it.each([
    ['$(MAU)config.cfg', '000E08012345config.cfg'],
    ['spa$(MAU)config.cfg', 'spa000E08012345config.cfg'],
    ['$STRANGE$MAU.cfg', '$STRANGE000E08012345.cfg'],
    ['$$MAU', '$MAU'],
    ['$(MAU:4)', '08012345'],
    ['$(MAU:8:2)', '23'],
    ['$(A:2)', 'CDEF'],
    ['$(A:2:3)', 'CDE'],
    ['$(A:10)', ''],
    ['tftp://prov.telco.com/cisco/$B/$MA.cfg', 'tftp://prov.telco.com/cisco/Dj6Lmp23Q/000e08012345.cfg'],
    ['$C', ''],
    ['$NOTIFY $PROXY $VERSION $USER', '$NOTIFY $PROXY $VERSION $USER'],
    ['${MA}', '${MA}'],
    ['cost: $$5', 'cost: $5'],
  ])('%s -> %s', (input, output) => {
    expect(expandMacros(input, ctx)).toBe(output);
  });

  it('concatenates GPP registers ($A$B)', () => {
    expect(expandMacros('$A$B', macroContext({ gpp: { A: 'ABC', B: '123' } }))).toBe('ABC123');
  });

  it('expands the MAC, product and identity macros (000 L223-229, 001 L2635-2678)', () => {
    const dev = macroContext({
      mac: 'c4:b9:cd:81:1e:29',
      productName: 'CP-6841-3PCC',
      serialNumber: '88012BA01234',
      softwareVersion: 'sip68xx.11-0-1MPP',
      hardwareVersion: '2.0.1',
      ip: '192.168.1.100',
      externalIp: '66.43.16.52',
      clientCertificate: false,
      userIds: { 1: '4085263127' },
      variables: { PRVTMR: '650', SCHEME: 'tftp', SERVIP: '192.168.1.200', PORT: '69', PATH: '/basic.txt' },
    });
    expect(expandMacros('$MA/$MAU/$MAC', dev)).toBe('c4b9cd811e29/C4B9CD811E29/c4:b9:cd:81:1e:29');
    expect(expandMacros('$PN $PSN $SN $SWVER $HWVER $IP $EXTIP $CCERT $UID1 $PRVTMR', dev)).toBe(
      'CP-6841-3PCC 6841-3PCC 88012BA01234 sip68xx.11-0-1MPP 2.0.1 192.168.1.100 66.43.16.52 Not Installed 4085263127 650',
    );
    expect(expandMacros('$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH', dev)).toBe(
      'CP-6841-3PCC c4:b9:cd:81:1e:29 -- Requesting resync tftp://192.168.1.200:69/basic.txt',
    );
    expect(expandMacros('tftp://192.168.1.200/CP-6841-3PCC$MA.cfg', macroContext({ mac: '000e08aabbcc' }))).toBe(
      'tftp://192.168.1.200/CP-6841-3PCC000e08aabbcc.cfg',
    );
  });

  it('leaves macros the context has no value for', () => {
    expect(expandMacros('$SWVER $REGTMR1 $(SN:2)', macroContext({}))).toBe('$SWVER $REGTMR1 $(SN:2)');
  });

  it('expands $SA..$SD only inside credentials (001 L921)', () => {
    const dev = macroContext({ secretGpp: { SA: 'MyUserID', SB: 'MySecretPassword' } });
    expect(expandMacros('$SA', dev)).toBe('$SA');
    expect(expandMacros('$SA', dev, { credentials: true })).toBe('MyUserID');
    expect(expandMacros('$(SB:2)', dev, { credentials: true })).toBe('SecretPassword');
  });

  it('is not recursive', () => {
    expect(expandMacros('$A', macroContext({ gpp: { A: '$MA' }, mac: '000e08aabbcc' }))).toBe('$MA');
  });

  it('derives the product series and rejects bad inputs', () => {
    expect(productSeriesOf('CP-6841-3PCC')).toBe('6841-3PCC');
    expect(productSeriesOf('SPA962')).toBe('962');
    expect(() => macroContext({ mac: '00:11:22' })).toThrow(MacroError);
    expect(() => macroContext({ variables: { 'bad name': 'x' } })).toThrow('"bad name" is not a macro name');
  });

  it('lists the macros a text refers to', () => {
    expect(macroReferences('$$ $PN$MA $(MAU:4) $PN')).toEqual(['PN', 'MA', 'MAU']);
  });
});
