import { DeviceRepository } from '../../../../src/devices/repository';
import { SearchIndex } from '../../../../src/devices/search-index';
import type { DeviceDoc } from '../../../../src/devices/types';
import { MemoryDevices } from '../../../support/memory/devices';
import { MemorySearch } from '../../../support/memory/search';
import { contract, inMemory, onStores } from './contract';
import { searchContract, type SearchFixture } from './search.contract';

contract<SearchFixture>(
  'search index',
  [
    inMemory(() => {
      const devices = new MemoryDevices();
      return { devices, search: new MemorySearch(devices), seed: (doc) => devices.insert(doc) };
    }),
    onStores('SearchIndex on FerretDB', ({ db }) => ({
      devices: new DeviceRepository(db),
      search: new SearchIndex(db),
      seed: async (doc) => void (await db.collection<DeviceDoc>('devices').insertOne(doc)),
    })),
  ],
  searchContract,
);
