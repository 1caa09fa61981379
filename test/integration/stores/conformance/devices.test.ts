import { DeviceRepository } from '../../../../src/devices/repository';
import type { DeviceDoc } from '../../../../src/devices/types';
import { MemoryDevices } from '../../../support/memory/devices';
import { contract, inMemory, onStores } from './contract';
import { devicesContract, type DevicesFixture } from './devices.contract';

contract<DevicesFixture>(
  'devices',
  [
    inMemory(() => {
      const devices = new MemoryDevices();
      return { devices, seed: (doc) => devices.insert(doc) };
    }),
    onStores('DeviceRepository on FerretDB', ({ db }) => ({
      devices: new DeviceRepository(db),
      seed: async (doc) => void (await db.collection<DeviceDoc>('devices').insertOne(doc)),
    })),
  ],
  devicesContract,
);
