import type { SessionSearch } from '../../../../src/cwmp/session/ports';
import type { SearchIndex } from '../../../../src/devices/search-index';
import { deviceDoc, phone, type DevicesFixture } from './devices.contract';

export interface SearchFixture extends DevicesFixture {
  search: SessionSearch & Pick<SearchIndex, 'find'>;
}

export function searchContract(fixture: () => SearchFixture): void {
  it('finds a refreshed device by the start of its serial number, MAC or address', async () => {
    const { search, seed } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id, { deviceId: { manufacturer: 'Cisco', oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: `SRCH${id.slice(-6)}` }, mac: '00562bccdd01', remoteAddress: '203.0.113.77' }));
    expect((await search.find(`SRCH${id.slice(-6)}`, 10)).ids).toEqual([]);
    await search.refresh(id);
    expect((await search.find(`srch${id.slice(-6, -2)}`, 10)).ids).toEqual([id]);
    expect((await search.find('00:56:2b:cc:dd:01', 10)).ids).toEqual([id]);
    expect((await search.find('203.0.113.77', 10)).ids).toEqual([id]);
  });

  it('drops the keys a refresh no longer finds, and finds nothing for a device that is gone', async () => {
    const { search, seed, devices } = fixture();
    const { id } = phone();
    await seed(deviceDoc(id, { mac: '00562bccdd02' }));
    await search.refresh(id);
    await devices.apply(id, { summary: { set: { mac: '00562bccdd03' }, unset: [] }, params: { set: {}, unset: [] } });
    await search.refresh(id);
    expect((await search.find('00562bccdd02', 10)).ids).toEqual([]);
    expect((await search.find('00562bccdd03', 10)).ids).toEqual([id]);
    await search.refresh(phone().id);
  });

  it('caps what it returns and says when more matched', async () => {
    const { search, seed } = fixture();
    const ids = [phone().id, phone().id, phone().id];
    for (const id of ids) {
      await seed(deviceDoc(id, { tags: [`cap-${ids[0].slice(-8)}`] }));
      await search.refresh(id);
    }
    const found = await search.find(`cap-${ids[0].slice(-8)}`, 2);
    expect(found.ids).toHaveLength(2);
    expect(found.truncated).toBe(true);
    expect((await search.find(`cap-${ids[0].slice(-8)}`, 3)).truncated).toBe(false);
  });
}
