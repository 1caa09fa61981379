import { Redis } from 'ioredis';
import { ConsoleFeed } from '../../../src/console/feed';
import { liveChannel, type LiveEvent } from '../../../src/console/events';
import { FleetStats } from '../../../src/console/fleet-stats';
import { connectRedis, duplicateRedis, type RedisClient } from '../../../src/stores/redis';
import { redisKeys } from '../../../src/stores/redis-keys';
import { eventually } from '../../support/api';
import { openTestStores, type TestStores } from '../../support/stores';

/** ConsoleFeed on Redis: what a subscriber of the live channel receives, and in which order. */
let stores: TestStores;
let subscriber: RedisClient;
let received: LiveEvent[];

beforeAll(async () => {
  stores = await openTestStores();
  subscriber = duplicateRedis(stores.redis);
  subscriber.on('message', (_channel: string, text: string) => received.push(JSON.parse(text) as LiveEvent));
  await subscriber.subscribe(liveChannel(stores.redisPrefix));
});
afterAll(async () => {
  subscriber?.disconnect();
  await stores?.close();
});
beforeEach(() => {
  received = [];
});

const at = new Date('2026-12-02T06:00:00Z');
const inform = (deviceId: string, sessionId: string) => ({ deviceId, sessionId, at, productClass: 'CP-8851', softwareVersion: '12.0', events: ['2 PERIODIC'] });
const said = () => received.map((e) => (e.type === 'session' ? `${e.sessionId} ${e.state}` : `${e.deviceId} ${e.type}`));
/** What the subscriber heard once it heard at least `n` events. */
const heard = (n: number) => eventually(async () => said(), (s) => s.length >= n);

describe('ConsoleFeed', () => {
  it('publishes every event once, in the order of the sessions, those waiting going out with the next Inform', async () => {
    const failures: unknown[] = [];
    const feed = new ConsoleFeed(stores.redis, stores.redisPrefix, (err) => failures.push(err));
    await feed.informed(inform('d1', 's1'));
    await feed.sessionEnded({ deviceId: 'd1', sessionId: 's1', at });
    await feed.taskFinished({ deviceId: 'd1', taskId: 't1', status: 'done', at, jobId: 'j1' });
    await feed.sessionRecorded({ deviceId: 'd1', sessionId: 's1', at });
    await feed.informed(inform('d2', 's2'));
    expect(await heard(6)).toEqual(['s1 started', 's1 ended', 'd1 task', 'd1 job', 's1 recorded', 's2 started']);
    // The Inform counted its device as well.
    expect((await new FleetStats(stores.redis, stores.redisPrefix).read()).byProductClass).toEqual({ 'CP-8851': 2 });
    expect(failures).toEqual([]);
  });

  it('sends waiting events on its own when no Inform comes, and everything pending at close', async () => {
    const feed = new ConsoleFeed(stores.redis, stores.redisPrefix, () => undefined);
    await feed.sessionEnded({ deviceId: 'd3', sessionId: 's3', at });
    await feed.parametersLearned({ deviceId: 'd3', paths: ['Device.DeviceInfo.SoftwareVersion'], at });
    expect(await heard(2)).toEqual(['s3 ended', 'd3 parameters']);
    await feed.sessionRecorded({ deviceId: 'd3', sessionId: 's3', at });
    await feed.close();
    // Published by the test once close has resolved: Redis delivers in order, so this marker
    // comes after the waiting event only if close sent it (and did not leave it to the timer).
    await stores.redis.publish(liveChannel(stores.redisPrefix), JSON.stringify({ type: 'session', deviceId: 'm', sessionId: 'marker', state: 'ended', at: at.toISOString() }));
    await feed.sessionEnded({ deviceId: 'd4', sessionId: 's4', at });
    expect(await heard(5)).toEqual(['s3 ended', 'd3 parameters', 's3 recorded', 'marker ended', 's4 ended']);
  });

  it('counts many concurrent Informs in few script calls, every device right, and each session over only once its count is in Redis', async () => {
    const fleet = redisKeys(stores.redisPrefix).console.fleet;
    const failures: unknown[] = [];
    const feed = new ConsoleFeed(stores.redis, stores.redisPrefix, (err) => failures.push(err));
    // reads on a connection of their own: the feed's would queue them behind its calls
    const reader = duplicateRedis(stores.redis);
    // the script is loaded already (a first call may be EVALSHA, then EVAL): only the calls below are counted
    await feed.informed(inform('warm', 'warm'));
    await feed.sessionEnded({ deviceId: 'warm', sessionId: 'warm', at });
    // the test run's Redis is one server (a cluster's MONITOR would be per node)
    const monitor = await (stores.redis as Redis).monitor();
    const calls: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (/^eval/i.test(args[0] ?? '') && args.includes(fleet('seen'))) calls.push(args);
    });
    try {
      // 40 phones inform at once, 10 of them a second time with another version (a later
      // session), 5 of those with a BOOTSTRAP: the groups of one call must apply in order
      const first = Array.from({ length: 40 }, (_, i) => ({ deviceId: `many${i}`, sessionId: `m${i}`, at, productClass: `MANY-${i % 4}`, softwareVersion: 'v1', events: ['2 PERIODIC'] }));
      const again = first.slice(0, 10).map((e, i) => ({ ...e, sessionId: `again${i}`, at: new Date(at.getTime() + 1000), softwareVersion: 'v2', events: i < 5 ? ['0 BOOTSTRAP'] : ['1 BOOT'] }));
      const sessions = [...first, ...again];
      await Promise.all(sessions.map((e) => feed.informed(e)));
      // Each session's end resolves only once its Inform is counted: read without waiting.
      await Promise.all(
        sessions.map(async (e) => {
          await feed.sessionEnded({ deviceId: e.deviceId, sessionId: e.sessionId, at });
          expect(await reader.zscore(fleet('seen'), e.deviceId)).not.toBeNull();
        }),
      );
      await feed.close();
      await stores.redis.ping(); // the monitor has seen every call before this reply
      // 50 Informs and 50 "ended": one call with the Informs (and the first end), one with the other ends
      expect(calls).toHaveLength(2);

      const pairs = await new FleetStats(stores.redis, stores.redisPrefix).byClassAndVersion();
      const many = pairs.filter((p) => p.productClass.startsWith('MANY-')).sort((a, b) => `${a.productClass}${a.version}`.localeCompare(`${b.productClass}${b.version}`));
      // many0..9 moved to v2: classes 0,1 got 3 of them, classes 2,3 got 2
      expect(many).toEqual([
        { productClass: 'MANY-0', version: 'v1', count: 7 },
        { productClass: 'MANY-0', version: 'v2', count: 3 },
        { productClass: 'MANY-1', version: 'v1', count: 7 },
        { productClass: 'MANY-1', version: 'v2', count: 3 },
        { productClass: 'MANY-2', version: 'v1', count: 8 },
        { productClass: 'MANY-2', version: 'v2', count: 2 },
        { productClass: 'MANY-3', version: 'v1', count: 8 },
        { productClass: 'MANY-3', version: 'v2', count: 2 },
      ]);
      for (const [i, e] of first.entries()) {
        expect(await stores.redis.zscore(fleet('seen'), e.deviceId)).toBe(String(at.getTime() + (i < 10 ? 1000 : 0)));
        expect(await stores.redis.hget(fleet('sv'), e.deviceId)).toBe(i < 10 ? 'v2' : 'v1');
        expect(await stores.redis.sismember(fleet('boot'), e.deviceId)).toBe(i < 5 ? 1 : 0);
      }
      // every session announced once, started before ended
      const heardAll = await heard(sessions.length * 2);
      for (const e of sessions) {
        const own = heardAll.filter((line) => line.startsWith(`${e.sessionId} `));
        expect(own).toEqual([`${e.sessionId} started`, `${e.sessionId} ended`]);
      }
      expect(failures).toEqual([]);
    } finally {
      monitor.disconnect();
      reader.disconnect();
    }
  });

  it("answers the Inform at once, and ends the session only once Redis has counted it", async () => {
    const fleet = redisKeys(stores.redisPrefix).console.fleet;
    const client = connectRedis(stores.redisUrl);
    const other = duplicateRedis(stores.redis);
    try {
      const feed = new ConsoleFeed(client, stores.redisPrefix, () => undefined);
      // The feed's connection is held by a BLPOP: Redis runs its next command only once the gate opens.
      const gate = `${stores.redisPrefix}test:gate`;
      const held = client.blpop(gate, 0);
      await feed.informed(inform('gated', 'gated'));
      let ended = false;
      const ending = feed.sessionEnded({ deviceId: 'gated', sessionId: 'gated', at }).then(() => (ended = true));
      expect(await other.zscore(fleet('seen'), 'gated')).toBeNull();
      expect(ended).toBe(false);
      await other.lpush(gate, 'open');
      await held;
      await ending;
      expect(await other.zscore(fleet('seen'), 'gated')).toBe(String(at.getTime()));
      await feed.close();
    } finally {
      client.disconnect();
      other.disconnect();
    }
  });

  it('does not count an Inform whose device was deleted while its count waited, and counts the device again once it informs after the deletion', async () => {
    const fleet = redisKeys(stores.redisPrefix).console.fleet;
    const stats = new FleetStats(stores.redis, stores.redisPrefix);
    const feed = new ConsoleFeed(stores.redis, stores.redisPrefix, () => undefined);
    await feed.informed({ ...inform('deleted', 'del1'), productClass: 'DELETED' });
    // the API deletes the device now: its count still waits in the feed's batch
    await stats.forget('deleted');
    const deletedAt = Date.now();
    await feed.sessionEnded({ deviceId: 'deleted', sessionId: 'del1', at });
    expect(await stores.redis.zscore(fleet('seen'), 'deleted')).toBeNull();
    expect((await stats.read()).byProductClass.DELETED).toBeUndefined();
    expect(await heard(2)).toEqual(['del1 started', 'del1 ended']);

    // the phone informs again and is stored anew, in a later millisecond than the deletion
    while (Date.now() <= deletedAt) await new Promise((resolve) => setImmediate(resolve));
    await feed.informed({ ...inform('deleted', 'del2'), productClass: 'DELETED' });
    await feed.sessionEnded({ deviceId: 'deleted', sessionId: 'del2', at });
    expect(await stores.redis.zscore(fleet('seen'), 'deleted')).toBe(String(at.getTime()));
    expect((await stats.read()).byProductClass.DELETED).toBe(1);
    await feed.close();
  });

  it('logs a failed call and still ends the sessions that waited for it, rejecting nothing', async () => {
    const broken = connectRedis(stores.redisUrl, { lazyConnect: true });
    broken.disconnect();
    const failures: unknown[] = [];
    const feed = new ConsoleFeed(broken, stores.redisPrefix, (err) => failures.push(err));
    await feed.informed(inform('lost1', 'lost1'));
    await feed.informed(inform('lost2', 'lost2'));
    await feed.sessionEnded({ deviceId: 'lost1', sessionId: 'lost1', at });
    expect(failures).toEqual([expect.any(Error)]);
    await feed.sessionEnded({ deviceId: 'lost2', sessionId: 'lost2', at });
    await feed.close();
    expect(failures).toHaveLength(2); // the second end's event, sent at close
  });
});
