import { macCandidatesInPath, macFromParameters, normaliseMac, parseUserAgent } from '../../../src/provisioning';

describe('phone identity', () => {
  it('reads model, version and MAC from MPP and legacy User-Agents (001 L1729, 003 L495)', () => {
    expect(parseUserAgent('Cisco-CP-6841-3PCC/11.0 (00562b043615)')).toEqual({ model: 'CP-6841-3PCC', version: '11.0', mac: '00562b043615' });
    // The legacy token is a serial number, not a MAC: no MAC is claimed.
    expect(parseUserAgent('cisco/SPA-962-2.0.5 (88012BA01234)')).toBeUndefined();
    expect(parseUserAgent('Cisco-CP-8851-3PCC/12.0.1 (00:56:2B:04:36:15)')?.mac).toBe('00562b043615');
    expect(parseUserAgent('curl/8.5.0')).toBeUndefined();
    expect(parseUserAgent(undefined)).toBeUndefined();
  });

  it('finds MACs in paths, also glued to a product name ending in hex digits (S15)', () => {
    expect(macCandidatesInPath('/CP-6841-3PCC000e08abcdef.cfg')[0]).toBe('000e08abcdef');
    expect(macCandidatesInPath('/cisco/000e08abcdef.xml')).toEqual(['000e08abcdef']);
    expect(macCandidatesInPath('/cisco/00:0e:08:ab:cd:ef/cfg.xml')[0]).toBe('000e08abcdef');
    expect(macCandidatesInPath('/cisco/6841-3PCC.xml')).toEqual([]);
    // A SHA-256 in a path is no MAC.
    expect(macCandidatesInPath(`/files/${'a'.repeat(64)}`)).toEqual([]);
  });

  it('normalises MACs and finds the device MAC among TR-181 and TR-098 parameters', () => {
    expect(normaliseMac('00-0E-08-AA-BB-CC')).toBe('000e08aabbcc');
    expect(normaliseMac('000e.08aa.bbcc')).toBe('000e08aabbcc');
    expect(normaliseMac('00:00:00:00:00:00')).toBeUndefined();
    expect(normaliseMac('not a mac')).toBeUndefined();
    expect(macFromParameters([{ name: 'Device.DeviceInfo.SerialNumber', value: 'X' }, { name: 'Device.Ethernet.Interface.1.MACAddress', value: '00:56:2B:00:00:01' }])).toBe('00562b000001');
    expect(macFromParameters([{ name: 'InternetGatewayDevice.LANDevice.1.LANEthernetInterfaceConfig.1.MACAddress', value: '00562b000002' }])).toBe('00562b000002');
    expect(macFromParameters([{ name: 'Device.WiFi.Radio.1.MACAddress', value: '00562b000003' }])).toBeUndefined();
  });
});
