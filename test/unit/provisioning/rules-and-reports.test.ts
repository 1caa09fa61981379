import { gzipSync } from 'node:zlib';
import { decryptCbc, encryptCbc } from '../../../src/cisco/crypto';
import { matchProfileRule, matchReportRule, parsePostedValues, readReport, ReportError, deviceMacros, type DeviceFacts } from '../../../src/provisioning';

const device: DeviceFacts = { deviceId: 'd', productClass: 'CP-8851-3PCC', serialNumber: 'FCH1', mac: '00562b000001' };

describe('which rule sent the phone here', () => {
  const values = {
    Profile_Rule: '/$PSN.xml',
    Profile_Rule_B: '("$A" ne "Provisioned")? [--key $SA] https://p.example.net/init/$MA.cfg | [--uid $SB --pwd "$SC"] https://p.example.net/cfg/$MAU.xml?x=1',
    Profile_Rule_C: 'this is not a rule ((',
    Report_Rule: '[--delta --key "$SD"]http://r.example.net/delta/$MA.xml; [--status]http://r.example.net/status/$MA.xml',
    GPP_SA: 'key-a',
    GPP_SB: 'user-b',
    GPP_SC: 'pass c',
    GPP_SD: 'key-d',
  };
  const ctx = deviceMacros(device, values);

  it('takes the alternative whose expanded http(s) path is the request, with $SA..$SD expanded in its options', () => {
    expect(matchProfileRule(values, '/init/00562b000001.cfg', ctx)).toEqual({ parameter: 'Profile_Rule_B', options: { key: 'key-a' } });
    expect(matchProfileRule(values, '/cfg/00562B000001.xml?x=1', ctx)).toEqual({ parameter: 'Profile_Rule_B', options: { uid: 'user-b', pwd: 'pass c' } });
    // A tftp rule (no scheme) is not fetched over HTTP; a malformed rule is skipped.
    expect(matchProfileRule(values, '/8851-3PCC.xml', ctx)).toBeUndefined();
    expect(matchProfileRule(values, '/other', ctx)).toBeUndefined();
  });

  it('tells delta and status report targets apart and expands their key', () => {
    expect(matchReportRule(values, '/delta/00562b000001.xml', ctx)).toEqual({ parameter: 'Report_Rule', options: { delta: true, key: 'key-d' } });
    expect(matchReportRule(values, '/status/00562b000001.xml', ctx)).toEqual({ parameter: 'Report_Rule', options: { status: true } });
    expect(matchReportRule({}, '/status/00562b000001.xml', ctx)).toBeUndefined();
  });
});

describe('readReport', () => {
  const xml = '<flat-profile><Station_Name>Desk</Station_Name><Password_1_>should-not-be-reported</Password_1_><GPP_SA>nor-this</GPP_SA></flat-profile>';

  it('undoes gzip and AES-256-CBC and drops secrets a phone should never report (003 L1444)', () => {
    const body = encryptCbc(gzipSync(xml), 'test123');
    expect(readReport(body, 'delta', { key: 'test123' })).toEqual({ values: { Station_Name: 'Desk' } });
  });

  it.each([
    [encryptCbc(Buffer.from(xml), 'test123'), { key: 'wrong' }, /cannot be decoded/],
    [encryptCbc(Buffer.from(xml), 'test123'), {}, /has no --key/],
    [encryptCbc(Buffer.from(xml), 'test123').subarray(0, 40), { key: 'test123' }, /cannot be decoded/],
    [gzipSync(xml).subarray(0, 20), {}, /truncated or corrupted/],
    [Buffer.from('<flat-profile><A>'), {}, /not a flat profile/],
    [Buffer.alloc(0), {}, /empty/],
  ])('refuses an unreadable report (%#) saying why', (body, options, message) => {
    expect(() => readReport(body, 'config', options)).toThrow(ReportError);
    expect(() => readReport(body, 'config', options)).toThrow(message);
  });

  it('blames the key when a wrong one happens to end in valid padding (CBC has no MAC: about 1 key in 256)', () => {
    const body = encryptCbc(Buffer.from(xml), 'test123');
    const decrypts = (key: string) => {
      try {
        decryptCbc(body, key);
        return true;
      } catch {
        return false;
      }
    };
    // bounded: not finding one in 20,000 keys has a probability of about e^-78
    const lucky = Array.from({ length: 20_000 }, (_, i) => `wrong-${i}`).find(decrypts);
    expect(lucky).toBeDefined();
    for (const kind of ['config', 'status'] as const) {
      expect(() => readReport(body, kind, { key: lucky! })).toThrow(/cannot be decoded: the rule's --key does not decrypt it/);
    }
  });

  it('keeps a status report that is text, not binary garbage', () => {
    expect(readReport(Buffer.from('Line 1: Registered\n'), 'status', {})).toEqual({ text: 'Line 1: Registered\n' });
    expect(() => readReport(Buffer.from([0, 1, 2, 3, 4]), 'status', {})).toThrow(/not a flat profile/);
  });
});

describe('parsePostedValues (--post bodies, 003 L1199-1207)', () => {
  it('reads name = "value" pairs', () => {
    expect(parsePostedValues('Product = "CP-6841-3PCC"; MAC_Addr = "000e08abcdef";\nSer_Num="88012BA01234"')).toEqual({ Product: 'CP-6841-3PCC', MAC_Addr: '000e08abcdef', Ser_Num: '88012BA01234' });
    expect(parsePostedValues('  ')).toEqual({});
  });

  it('names where the text stops making sense', () => {
    expect(() => parsePostedValues('A = "1"; B = 2;')).toThrow(/at character 10/);
  });
});
