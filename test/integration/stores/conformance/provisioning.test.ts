import { DeviceRepository } from '../../../../src/devices/repository';
import type { DeviceDoc } from '../../../../src/devices/types';
import { AppliedStore } from '../../../../src/provisioning/stores/applied';
import { DeviceProvisionStore } from '../../../../src/provisioning/stores/devices';
import { HistoryStore } from '../../../../src/provisioning/stores/history';
import { MemoryDevices } from '../../../support/memory/devices';
import { MemoryAppliedFiles } from '../../../support/memory/provisioning-applied';
import { MemoryProvisionDevices } from '../../../support/memory/provisioning-devices';
import { MemoryHistory } from '../../../support/memory/provisioning-history';
import { contract, inMemory, onStores } from './contract';
import { appliedContract, historyContract, provisionDevicesContract, type ProvisionDevicesFixture } from './provisioning.contract';

contract('provisioning applied files', [inMemory(() => ({ applied: new MemoryAppliedFiles() })), onStores('AppliedStore on FerretDB', ({ db }) => ({ applied: new AppliedStore(db) }))], appliedContract);

// A fresh log per case: the cases count what one device has.
contract('provisioning history', [inMemory(() => ({ history: new MemoryHistory() })), onStores('HistoryStore on FerretDB', async ({ db }) => {
  await db.collection('provisioning_history').deleteMany({});
  return { history: new HistoryStore(db) };
})], historyContract);

contract<ProvisionDevicesFixture>(
  'provisioning devices',
  [
    inMemory(() => {
      const memory = new MemoryDevices();
      return { devices: new MemoryProvisionDevices(memory), seed: (doc) => memory.insert(doc) };
    }),
    onStores('DeviceProvisionStore over DeviceRepository on FerretDB', ({ db }) => ({
      devices: new DeviceProvisionStore(new DeviceRepository(db)),
      seed: async (doc) => void (await db.collection<DeviceDoc>('devices').insertOne(doc)),
    })),
  ],
  provisionDevicesContract,
);
