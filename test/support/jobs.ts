import { DeviceRepository } from '../../src/devices/repository';
import type { JobDeps } from '../../src/jobs/deps';
import { JobQueues } from '../../src/jobs/queues';
import { JobRepository } from '../../src/jobs/repository';
import { createLogger } from '../../src/log';
import { TaskRepository } from '../../src/tasks/repository';
import { openTestStores, type TestStores } from './stores';

/** The real stores and the job steps' dependencies on them, for tests that run the steps by hand (no worker). */
export interface JobTestStores {
  stores: TestStores;
  deps: JobDeps;
  close(): Promise<void>;
}

export async function openJobTestStores(): Promise<JobTestStores> {
  const stores = await openTestStores();
  const log = createLogger('silent');
  const devices = new DeviceRepository(stores.db);
  const queues = new JobQueues(stores.config(), log);
  const deps: JobDeps = { jobs: new JobRepository(stores.db), tasks: new TaskRepository(stores.db, devices), devices, queues, log, taskEnded: async () => undefined };
  return {
    stores,
    deps,
    async close() {
      await queues.close();
      await stores.close();
    },
  };
}
