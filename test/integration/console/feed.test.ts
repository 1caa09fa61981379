import { ConsoleFeed } from '../../../src/console/feed';
import { liveChannel, type LiveEvent } from '../../../src/console/events';
import { FleetStats } from '../../../src/console/fleet-stats';
import { duplicateRedis, type RedisClient } from '../../../src/stores/redis';
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
});
