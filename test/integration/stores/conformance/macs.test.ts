import { DeviceRepository } from '../../../../src/devices/repository';
import { MacDirectory } from '../../../../src/devices/mac-directory';
import type { DeviceDoc } from '../../../../src/devices/types';
import { MemoryDevices } from '../../../support/memory/devices';
import { MemoryMacs } from '../../../support/memory/macs';
import { contract, inMemory, onStores } from './contract';
import { macsContract, type MacsFixture } from './macs.contract';

contract<MacsFixture>(
  'MAC directory',
  [
    inMemory(() => {
      const devices = new MemoryDevices();
      return { devices, macs: new MemoryMacs(devices), seed: (doc) => devices.insert(doc) };
    }),
    onStores('MacDirectory on FerretDB', ({ db }) => ({
      devices: new DeviceRepository(db),
      macs: new MacDirectory(db),
      seed: async (doc) => void (await db.collection<DeviceDoc>('devices').insertOne(doc)),
    })),
  ],
  macsContract,
);
