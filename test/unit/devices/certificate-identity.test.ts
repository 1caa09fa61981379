import { certificateNames, matchCertificate, parseSubjectAltNames } from '../../../src/devices/certificate-identity';

describe('parseSubjectAltNames', () => {
  it('splits Node\'s subjectaltname string and drops the labels', () => {
    expect(parseSubjectAltNames('DNS:acs.example.net, IP Address:127.0.0.1, URI:urn:dev:FCH1234')).toEqual(['acs.example.net', '127.0.0.1', 'urn:dev:FCH1234']);
  });
  it('reads quoted values that contain commas', () => {
    expect(parseSubjectAltNames('DNS:a, email:"x,y@example.net"')).toEqual(['a', 'x,y@example.net']);
  });
  it('gives nothing for nothing', () => {
    expect(parseSubjectAltNames(undefined)).toEqual([]);
    expect(parseSubjectAltNames('')).toEqual([]);
  });
});

describe('matchCertificate', () => {
  const device = { serialNumber: 'FCH12', mac: '00:0E:08:AA:BB:CC' };

  it('refuses a name that merely contains the serial number', () => {
    expect(matchCertificate(certificateNames({ CN: 'FCH1234' }, 'DNS:xFCH12'), device)).toBeUndefined();
    expect(matchCertificate(certificateNames({ CN: ' FCH12' }), device)).toBeUndefined();
  });
  it('accepts the CN or a subjectAltName equal to the serial, in any ASCII case', () => {
    expect(matchCertificate(certificateNames({ CN: 'fch12' }), device)).toBe('common-name');
    expect(matchCertificate(certificateNames({ CN: 'other' }, 'DNS:FCH12'), device)).toBe('subject-alt-name');
  });
  it('accepts Cisco MIC subjects by serial (L) or MAC (ST or S), in any MAC notation', () => {
    expect(matchCertificate(certificateNames({ OU: 'CP-8851-3PCC', L: 'FCH12', ST: '000000000001' }), device)).toBe('mic-serial');
    expect(matchCertificate(certificateNames({ OU: 'CP-8851-3PCC', L: 'X', ST: '000e08aabbcc' }), device)).toBe('mic-mac');
    expect(matchCertificate(certificateNames({ L: 'X', S: '000E.08AA.BBCC' }), device)).toBe('mic-mac');
    expect(matchCertificate(certificateNames({ L: 'X', ST: '000e08aabbcd' }), device)).toBeUndefined();
  });
  it('never lets a generic Cisco certificate identify a device', () => {
    expect(matchCertificate(certificateNames({ CN: 'FCH12', OU: 'cisco.com', L: 'ciscogeneric', ST: 'ciscogeneric' }), device)).toBeUndefined();
  });
  it('matches nothing without names or without a device identity', () => {
    expect(matchCertificate(undefined, device)).toBeUndefined();
    expect(matchCertificate(certificateNames({ CN: 'FCH12' }), {})).toBeUndefined();
  });
});
