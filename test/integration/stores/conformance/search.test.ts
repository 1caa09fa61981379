import { SearchIndex } from '../../../../src/devices/search-index';
import { MemorySearch } from '../../../support/memory/search';
import { contractBesideDevices } from './devices.contract';
import { searchContract, type SearchFixture } from './search.contract';

contractBesideDevices<Pick<SearchFixture, 'search'>>('search index', { name: 'SearchIndex on FerretDB', make: (db) => ({ search: new SearchIndex(db) }) }, (devices) => ({ search: new MemorySearch(devices) }), searchContract);
