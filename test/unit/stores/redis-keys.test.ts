import { ALL_SESSION_GROUPS, newSessionId, redisKeys, sessionGroup } from '../../../src/stores/redis-keys';

/** The hash tag Redis Cluster hashes: the first {…} with something inside, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('Redis keys', () => {
  const keys = redisKeys('acs:');

  it('start with the prefix, so a deployment finds and deletes its own', () => {
    const all = [keys.cwmp.lock('D-1'), keys.cwmp.session(newSessionId('D-1')), keys.cwmp.inflight('00'), keys.cwmp.nonceCount('n'), keys.console.fleet('seen'), keys.provisioning.marker('profiles'), keys.bull];
    expect(all.filter((k) => !k.startsWith('acs:'))).toEqual([]);
  });

  it("keep a device's lock, its sessions' states and their in-flight index in one slot", () => {
    for (const deviceId of ['00000C-CP8845-SEP001122334455', 'x{y}z', '']) {
      const sid = newSessionId(deviceId);
      expect(sid).toMatch(/^[0-9a-f]{32}$/);
      const tags = new Set([keys.cwmp.lock(deviceId), keys.cwmp.session(sid), keys.cwmp.inflight(sid.slice(0, 2))].map(hashTag));
      expect([...tags]).toEqual([`s${sessionGroup(deviceId)}`]);
    }
  });

  it('spread different devices over the groups', () => {
    const groups = new Set(Array.from({ length: 2000 }, (_, i) => sessionGroup(`D-${i}`)));
    expect(groups.size).toBeGreaterThan(200);
    expect([...groups].filter((g) => !ALL_SESSION_GROUPS.includes(g))).toEqual([]);
  });

  it('give the fleet counters, the change markers and BullMQ one tag each', () => {
    expect(new Set(['seen', 'pc', 'pcsvn', 'checked', 'rebuilding', 'seen:rebuild'].map((n) => hashTag(keys.console.fleet(n))))).toEqual(new Set(['fleet']));
    expect(hashTag(keys.provisioning.marker('profiles'))).toBe(hashTag(keys.provisioning.marker('firmware')));
    expect(hashTag(`${keys.bull}:connection-requests:wait`)).toBe('bull');
  });
});
