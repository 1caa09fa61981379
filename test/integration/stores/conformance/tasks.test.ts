import { DeviceRepository } from '../../../../src/devices/repository';
import type { DeviceDoc } from '../../../../src/devices/types';
import { TaskRepository } from '../../../../src/tasks/repository';
import { MemoryDevices } from '../../../support/memory/devices';
import { MemoryTasks } from '../../../support/memory/tasks';
import { contract, inMemory, onStores } from './contract';
import { tasksContract, type TasksFixture } from './tasks.contract';

contract<TasksFixture>(
  'tasks',
  [
    inMemory(() => {
      const devices = new MemoryDevices();
      return { devices, tasks: new MemoryTasks(devices), seed: (doc) => devices.insert(doc) };
    }),
    onStores('TaskRepository on FerretDB', ({ db }) => ({
      devices: new DeviceRepository(db),
      tasks: new TaskRepository(db),
      seed: async (doc) => void (await db.collection<DeviceDoc>('devices').insertOne(doc)),
    })),
  ],
  tasksContract,
);
