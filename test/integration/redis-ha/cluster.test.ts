import { ConsoleFeed } from '../../../src/console/feed';
import { FleetStats } from '../../../src/console/fleet-stats';
import { sessionSuite } from '../cwmp/session-cases';
import { jobSuites } from '../jobs/job-cases';
import { redisServersBlocker, startRedisCluster, type RedisClusterSet } from '../../support/redis-servers';
import { openTestStores } from '../../support/stores';

/**
 * Session and job cases on a Redis Cluster of three masters: every multi-key script, MULTI
 * and BullMQ call keeps its keys in one slot (a CROSSSLOT or MOVED error fails them), and the
 * device locks, session states and queues work as on one server.
 */
// Missing Redis binaries that apt-get cannot install fail the file, naming what to install.
const blocker = redisServersBlocker();
let cluster: RedisClusterSet | undefined;

beforeAll(async () => {
  if (blocker) throw new Error(`Redis Cluster cannot start: ${blocker}`);
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.close());
const openStores = () => openTestStores({ redisUrl: cluster!.url });
sessionSuite({
  openStores,
  only: [
    'any replica continues any session: requests alternate between two ACS processes',
    'allows one session per device: a concurrent Inform gets 503 with Retry-After',
    'an idle session ends: its in-flight task returns to pending and is sent again next time',
  ],
});
jobSuites({
  openStores,
  only: ["pauses, resumes and cancels; cancelled tasks leave the devices' queues", 'rebuilds them from MongoDB: held tasks, connection requests and jobs all complete'],
});

describe('console feed', () => {
  it("counts the Informs of concurrent sessions together: the counters' keys share one slot", async () => {
    const stores = await openStores();
    try {
      const failures: unknown[] = [];
      const feed = new ConsoleFeed(stores.redis, stores.redisPrefix, (err) => failures.push(err));
      const at = new Date();
      const ids = ['c1', 'c2', 'c3'];
      await Promise.all(ids.map((id) => feed.informed({ deviceId: id, sessionId: id, at, productClass: 'CLUSTER-1', softwareVersion: 'v1', events: ['2 PERIODIC'] })));
      await Promise.all(ids.map((id) => feed.sessionEnded({ deviceId: id, sessionId: id, at })));
      await feed.close();
      expect(failures).toEqual([]);
      expect((await new FleetStats(stores.redis, stores.redisPrefix).read()).byProductClass).toEqual({ 'CLUSTER-1': 3 });
    } finally {
      await stores.close();
    }
  });
});
