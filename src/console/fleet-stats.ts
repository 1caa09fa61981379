import type { RedisClient } from '../stores/redis';
import { redisKeys } from '../stores/redis-keys';
import { declareRedisScripts, withRedisScripts } from '../stores/redis-scripts';
import type { DeviceRepository } from '../devices/repository';

/** The device reads the counters are rebuilt from. */
export type FleetDevices = Pick<DeviceRepository, 'find' | 'count'>;

/** What a session tells the counters about one Inform. */
export interface InformFacts {
  deviceId: string;
  at: Date;
  productClass: string;
  softwareVersion?: string;
  /** the Inform carried 0 BOOTSTRAP */
  bootstrap: boolean;
  /**
   * When MongoDB acknowledged the device's Inform (epoch ms): a deletion of the device after
   * it wins over this count, which may reach Redis later. Absent: counted whatever was deleted.
   * The session's clock is compared with the deleting process's: an Inform within their skew of
   * the deletion may go either way, which its next Inform or the counters' check puts right.
   */
  storedAt?: number;
}

export interface VersionCount {
  productClass: string;
  version: string;
  count: number;
}

export interface FleetCounts {
  total: number;
  seenLastHour: number;
  seenLastDay: number;
  bootstrapOnly: number;
  byProductClass: Record<string, number>;
  bySoftwareVersion: Record<string, number>;
  /** when the counters last matched MongoDB's device count (or were rebuilt); null: never */
  checkedAt: Date | null;
  /** a check or rebuild is running: the figures may be short */
  checking: boolean;
}

/** One group of the update script: an Inform to count (if any), then live messages to publish. */
export interface FleetUpdate {
  inform?: InformFacts;
  /** published after the Inform is counted, in order */
  messages?: readonly string[];
}

/*
 * KEYS: seen (zset id -> last Inform ms), pc (hash id -> product class), pcn (hash class -> count),
 * sv, svn (the same for software versions), boot (set of ids whose last Inform was a BOOTSTRAP),
 * pcsv, pcsvn (the same for the pair "product class TAB software version"), gone (zset id ->
 * ms of its deletion, kept GONE_KEEP_MS)
 * ARGV: channel ('' = publish nothing), then groups of: id ('' = no device), ms (negative: the
 * device was deleted at -ms), product class, software version, bootstrap 0/1, stored ms ('' = do
 * not look at deletions), n, then n messages to publish.
 * Groups are applied in order, so the messages leave in the order the process produced them.
 * An Inform stored before its device's deletion is not counted: sessions send their counts in
 * batches, so a count can reach Redis after the deletion has forgotten the device.
 */
const UPDATE = `
local id
local function track(mapKey, countKey, value)
  local old = redis.call('HGET', mapKey, id)
  if old == value then return end
  if old then
    if redis.call('HINCRBY', countKey, old, -1) <= 0 then redis.call('HDEL', countKey, old) end
  end
  if value == '' then
    redis.call('HDEL', mapKey, id)
  else
    redis.call('HSET', mapKey, id, value)
    redis.call('HINCRBY', countKey, value, 1)
  end
end
local function deletedSince(stored)
  if stored == '' then return false end
  local gone = redis.call('ZSCORE', KEYS[9], id)
  -- within the same ms the deletion wins: a device left out comes back at its next Inform, a ghost would not
  return gone and tonumber(gone) >= tonumber(stored)
end
local channel = ARGV[1]
local keep = tonumber(ARGV[2])
local i = 3
local groups = 0
while i <= #ARGV do
  id = ARGV[i]
  local ms = tonumber(ARGV[i + 1])
  if id ~= '' and ms < 0 then
    redis.call('ZREM', KEYS[1], id)
    track(KEYS[2], KEYS[3], '')
    track(KEYS[4], KEYS[5], '')
    redis.call('SREM', KEYS[6], id)
    track(KEYS[7], KEYS[8], '')
    redis.call('ZADD', KEYS[9], -ms, id)
    redis.call('ZREMRANGEBYSCORE', KEYS[9], '-inf', -ms - keep)
  elseif id ~= '' and not deletedSince(ARGV[i + 5]) then
    redis.call('ZADD', KEYS[1], ARGV[i + 1], id)
    track(KEYS[2], KEYS[3], ARGV[i + 2])
    track(KEYS[4], KEYS[5], ARGV[i + 3])
    if ARGV[i + 4] == '1' then redis.call('SADD', KEYS[6], id) else redis.call('SREM', KEYS[6], id) end
    track(KEYS[7], KEYS[8], ARGV[i + 2] .. '\t' .. ARGV[i + 3])
  end
  local n = tonumber(ARGV[i + 6])
  if channel ~= '' then
    for m = i + 7, i + 6 + n do redis.call('PUBLISH', channel, ARGV[m]) end
  end
  i = i + 7 + n
  groups = groups + 1
end
return groups
`;

/**
 * How long a deletion is remembered. A count waits at most a feed batch (25 ms) plus a Redis
 * call before it arrives; an hour also covers a process that stalled in between.
 */
const GONE_KEEP_MS = 3_600_000;

/** The script's arguments for `updates`, after the channel. */
function updateArgs(updates: readonly FleetUpdate[]): string[] {
  const args: string[] = [String(GONE_KEEP_MS)];
  for (const { inform: f, messages = [] } of updates) {
    if (f) args.push(f.deviceId, String(f.at.getTime()), f.productClass, f.softwareVersion ?? '', f.bootstrap ? '1' : '0', f.storedAt === undefined ? '' : String(f.storedAt));
    else args.push('', '0', '', '', '0', '');
    args.push(String(messages.length), ...messages);
  }
  return args;
}

/** Devices a rebuild sends in one script call (each group is 8 arguments, held in Redis at once). */
const REBUILD_BATCH = 500;

const HOUR = 3_600_000;

/** UPDATE as a command of the client: EVALSHA, so a session sends the hash, not the script. */
const FLEET_SCRIPTS = declareRedisScripts({ acsFleetUpdate: { numberOfKeys: 9, lua: UPDATE } });

/**
 * Fleet counters for the console's overview, kept in Redis by the sessions themselves: one
 * script call per batch of Informs (no MongoDB work), so reading the overview costs a few Redis reads
 * whatever the fleet's size. MongoDB stays the truth: when the counters disagree with the
 * number of devices (Redis was flushed, devices were imported or deleted outside sessions),
 * `rebuild` reads every device once and replaces them.
 */
export class FleetStats {
  /** the counters (the eight a rebuild replaces), then the deletions remembered */
  private readonly keys: string[];
  private readonly scripts: ReturnType<typeof withRedisScripts<keyof typeof FLEET_SCRIPTS>>;
  /** due: set for `everySeconds` when a check starts; busy: while it runs; checked: ms of the last good check */
  private readonly state: { due: string; busy: string; checked: string };

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    // one hash tag for all: the update script and the rebuild's MULTI touch them together
    this.scripts = withRedisScripts(redis, FLEET_SCRIPTS);
    const k = redisKeys(prefix).console.fleet;
    this.keys = [k('seen'), k('pc'), k('pcn'), k('sv'), k('svn'), k('boot'), k('pcsv'), k('pcsvn'), k('gone')];
    this.state = { due: k('checked'), busy: k('rebuilding'), checked: k('checked-at') };
  }

  /**
   * Counts the Informs of `updates` and publishes their messages on `channel`, in order, in one
   * script call: the console feed sends those of many sessions together.
   */
  async apply(updates: readonly FleetUpdate[], channel: string): Promise<void> {
    await this.scripts.acsFleetUpdate(...this.keys, channel, ...updateArgs(updates));
  }

  /**
   * Forgets a device MongoDB no longer holds; call it after the deletion was acknowledged. A
   * count of an Inform stored before `deletedAt` that arrives later is dropped.
   */
  async forget(deviceId: string, deletedAt = Date.now()): Promise<void> {
    await this.scripts.acsFleetUpdate(...this.keys, '', String(GONE_KEEP_MS), deviceId, String(-deletedAt), '', '', '0', '', '0');
  }

  /** Devices whose last Inform came after `since` (epoch ms): a session rate over that window. */
  async seenSince(since: number): Promise<number> {
    return this.redis.zcount(this.keys[0], since, '+inf');
  }

  async read(now = Date.now()): Promise<FleetCounts> {
    const [seen, , pcn, , svn, boot] = this.keys;
    const r = await this.redis
      .multi()
      .zcard(seen)
      .zcount(seen, now - HOUR, '+inf')
      .zcount(seen, now - 24 * HOUR, '+inf')
      .scard(boot)
      .hgetall(pcn)
      .hgetall(svn)
      .get(this.state.checked)
      .exists(this.state.busy)
      .exec();
    const v = (i: number) => r![i][1];
    const counts = (h: unknown) => Object.fromEntries(Object.entries(h as Record<string, string>).map(([k, n]) => [k, Number(n)]).filter(([, n]) => (n as number) > 0));
    return {
      total: Number(v(0)),
      seenLastHour: Number(v(1)),
      seenLastDay: Number(v(2)),
      bootstrapOnly: Number(v(3)),
      byProductClass: counts(v(4)),
      bySoftwareVersion: counts(v(5)),
      checkedAt: v(6) ? new Date(Number(v(6))) : null,
      checking: v(7) === 1,
    };
  }

  /** Devices per product class and software version ('' when a device reported none). */
  async byClassAndVersion(): Promise<VersionCount[]> {
    const counts = await this.redis.hgetall(this.keys[7]);
    return Object.entries(counts)
      .map(([pair, n]) => {
        const tab = pair.indexOf('\t');
        return { productClass: pair.slice(0, tab), version: pair.slice(tab + 1), count: Number(n) };
      })
      .filter((c) => c.count > 0);
  }

  /**
   * Replaces the counters with what MongoDB holds, reading every device once (about 0.3 ms a
   * device on FerretDB): fresh keys are filled, then renamed over the live ones in one MULTI.
   * Informs counted during the rebuild may be lost to it; the next Inform of each device
   * repairs its entry.
   */
  async rebuild(devices: FleetDevices): Promise<number> {
    // MongoDB is the truth here: deletions are not looked at (the devices carry no storedAt)
    const fresh = this.keys.slice(0, 8).map((k) => `${k}:rebuild`);
    await this.redis.del(...fresh);
    let n = 0;
    const batch: FleetUpdate[] = [];
    const send = () => this.scripts.acsFleetUpdate(...fresh, this.keys[8]!, '', ...updateArgs(batch.splice(0)));
    for await (const d of devices.find({}, { projection: { 'deviceId.productClass': 1, softwareVersion: 1, lastInformAt: 1, lastEvents: 1 }, batchSize: 1000 })) {
      const bootstrap = d.lastEvents?.some((e) => e.eventCode === '0 BOOTSTRAP') ?? false;
      batch.push({ inform: { deviceId: d._id, at: d.lastInformAt ?? new Date(0), productClass: d.deviceId?.productClass ?? '', softwareVersion: d.softwareVersion, bootstrap } });
      n += 1;
      if (batch.length === REBUILD_BATCH) await send();
    }
    if (batch.length) await send();
    // RENAME fails on a missing key (an empty hash is no key at all): rename only what exists.
    const exists = await Promise.all(fresh.map((f) => this.redis.exists(f)));
    const rename = this.redis.multi();
    fresh.forEach((f, i) => (exists[i] ? rename.rename(f, this.keys[i]) : rename.del(this.keys[i])));
    rename.set(this.state.checked, String(Date.now()));
    await rename.exec();
    return n;
  }

  /**
   * At most once per `everySeconds` across all processes, in the background: counts the
   * devices in MongoDB (a full read on FerretDB, hence rarely) and rebuilds the counters when
   * they disagree. Nobody waits for the check itself: `read` says when the counters were last
   * checked, and the answer is true while a check or rebuild runs (the figures may be short).
   */
  async checkInBackground(devices: FleetDevices, onError: (err: unknown) => void, everySeconds = 600): Promise<boolean> {
    const { due, busy, checked } = this.state;
    if ((await this.redis.set(due, '1', 'EX', everySeconds, 'NX')) !== 'OK') return (await this.redis.exists(busy)) === 1;
    await this.redis.set(busy, '1', 'EX', 600);
    void (async () => {
      try {
        const [counted, total, paired] = await Promise.all([this.redis.zcard(this.keys[0]), devices.count(), this.redis.exists(this.keys[7])]);
        // counters kept before the class-and-version pairs were counted have none yet
        if (counted !== total || (total > 0 && !paired)) await this.rebuild(devices);
        else await this.redis.set(checked, String(Date.now()));
      } finally {
        await this.redis.del(busy);
      }
    })().catch(onError);
    return true;
  }
}
