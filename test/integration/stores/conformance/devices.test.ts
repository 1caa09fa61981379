import { contract, inMemory, onStores } from './contract';
import { devicesContract, memoryDevices, storedDevices, type DevicesFixture } from './devices.contract';

contract<DevicesFixture>('devices', [inMemory(memoryDevices), onStores('DeviceRepository on FerretDB', ({ db }) => storedDevices(db))], devicesContract);
