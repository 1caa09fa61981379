import { loadCatalogue, searchCatalogue } from '../../../src/cisco/catalogue';

describe('catalogue search', () => {
  const catalogue = loadCatalogue();
  const names = (q: string, limit = 50) => searchCatalogue(catalogue, q, limit).map((h) => h.name);

  it('puts the exact name first, then names starting with the text, then the rest', () => {
    const found = names('proxy_1_');
    expect(found[0]).toBe('Proxy_1_');
    const prefix = names('Proxy_');
    expect(prefix.every((n, i) => i === 0 || !n.toLowerCase().startsWith('proxy_') || prefix[i - 1]!.toLowerCase().startsWith('proxy_'))).toBe(true);
    expect(names('Outbound_Proxy_1')).toContain('Outbound_Proxy_1_');
  });

  it('finds by web label and by the instance TR-069 path, any case', () => {
    expect(names('resync at (hhmm)')[0]).toBe('Resync_At__HHmm_');
    expect(names('Device.Services.VoiceService.1.VoiceProfile.3.SIP.ProxyServer')[0]).toBe('Proxy_3_');
  });

  it('describes the type and never shows a secret sample', () => {
    const [hit] = searchCatalogue(catalogue, 'SIP_Port_1_', 1);
    expect(hit).toMatchObject({ name: 'SIP_Port_1_', typeLabel: 'Port', type: { kind: 'port' } });
    const [secret] = searchCatalogue(catalogue, 'Admin_Password', 1);
    expect(secret).toMatchObject({ name: 'Admin_Password', secret: true });
    expect(secret!.sample).toBeUndefined();
  });

  it('returns at most `limit`, and the start of the catalogue for no text', () => {
    expect(names('', 3)).toEqual(catalogue.entries.slice(0, 3).map((e) => e.name));
    expect(names('_', 7)).toHaveLength(7);
    expect(names('no-such-parameter-anywhere')).toEqual([]);
  });
});
