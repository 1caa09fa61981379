import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../stores/redis';
import { redisKeys } from '../../stores/redis-keys';
import type { Db } from 'mongodb';
import type { FirmwarePolicyDoc } from '../../firmware/types';
import { FIRMWARE_POLICIES_COLLECTION } from '../../firmware/store';
import type { Logger } from '../../log';
import { SelectorIndex } from '../../profiles/selector';
import { PROFILES_COLLECTION } from '../../profiles/store';
import type { DeviceFacts, ProfileDoc } from '../../profiles/types';

/**
 * What every process holds in memory so that an Inform is judged without a read: all profiles
 * (selectors indexed by dimension) and all firmware policies with their rollout state.
 *
 * Writers bump a marker in Redis per kind (a random token); each process polls the markers and
 * reloads a kind from MongoDB only when its marker changed, so a quiet fleet costs one Redis
 * GET per poll and no MongoDB read at all. Snapshots of this process reload at once when a
 * writer of this process bumps (the API and the CWMP role in one process agree immediately).
 * Losing Redis loses nothing: a missing marker differs from the one held, so caches reload.
 */

export type SnapshotKind = 'profiles' | 'firmware';
const KINDS: readonly SnapshotKind[] = ['profiles', 'firmware'];

export interface ProfilesView {
  index: SelectorIndex<ProfileDoc>;
  byName: ReadonlyMap<string, ProfileDoc>;
}

/** The profiles in force (deleted ones left out), indexed for matching. */
export function profilesView(docs: readonly ProfileDoc[]): ProfilesView {
  const live = docs.filter((d) => !d.deleted);
  return { index: new SelectorIndex(live), byName: new Map(live.map((d) => [d._id, d])) };
}

/** Snapshots of this process by the Redis prefix of their stores. */
const local = new Map<string, Set<ProvisioningSnapshot>>();

export class ChangeMarker {
  constructor(
    private readonly redis: RedisClient,
    readonly prefix: string,
  ) {}

  key(kind: SnapshotKind): string {
    return redisKeys(this.prefix).provisioning.marker(kind);
  }

  async read(): Promise<Record<SnapshotKind, string | null>> {
    const [profiles, firmware] = await this.redis.mget(this.key('profiles'), this.key('firmware'));
    return { profiles, firmware };
  }

  /** Tells every process that `kind` changed in MongoDB (call after the write). */
  async bump(kind: SnapshotKind): Promise<void> {
    await this.redis.set(this.key(kind), randomBytes(8).toString('hex'));
    await Promise.all([...(local.get(this.prefix) ?? [])].map((s) => s.reload(kind)));
  }
}

export class ProvisioningSnapshot {
  private profilesView: ProfilesView = { index: new SelectorIndex<ProfileDoc>([]), byName: new Map() };
  private policies: ReadonlyMap<string, FirmwarePolicyDoc> = new Map();
  private readonly seen: Record<SnapshotKind, string | null | undefined> = { profiles: undefined, firmware: undefined };
  private readonly loading: Partial<Record<SnapshotKind, Promise<void>>> = {};
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    readonly marker: ChangeMarker,
    private readonly log: Logger,
  ) {}

  get profiles(): ProfilesView {
    return this.profilesView;
  }

  /** Profiles that match the device, from memory. */
  matchProfiles(facts: DeviceFacts): ProfileDoc[] {
    return this.profilesView.index.match(facts);
  }

  policy(productClass: string): FirmwarePolicyDoc | undefined {
    return this.policies.get(productClass);
  }

  get firmwarePolicies(): ReadonlyMap<string, FirmwarePolicyDoc> {
    return this.policies;
  }

  /** Loads what changed since the last load (everything the first time). */
  async refresh(): Promise<void> {
    const markers = await this.marker.read();
    await Promise.all(KINDS.filter((k) => this.seen[k] === undefined || markers[k] !== this.seen[k]).map((k) => this.reload(k, markers[k])));
  }

  /** Reloads one kind now; concurrent calls share the reload in progress, then run once more. */
  async reload(kind: SnapshotKind, token?: string | null): Promise<void> {
    const previous = this.loading[kind];
    const run = (async () => {
      await previous?.catch(() => undefined);
      const marker = token !== undefined ? token : (await this.marker.read())[kind];
      if (kind === 'profiles') {
        this.profilesView = profilesView(await this.db.collection<ProfileDoc>(PROFILES_COLLECTION).find({}).toArray());
      } else {
        const docs = await this.db.collection<FirmwarePolicyDoc>(FIRMWARE_POLICIES_COLLECTION).find({}).toArray();
        this.policies = new Map(docs.map((d) => [d._id, d]));
      }
      this.seen[kind] = marker;
    })();
    this.loading[kind] = run;
    try {
      await run;
    } finally {
      if (this.loading[kind] === run) delete this.loading[kind];
    }
  }

  /** Loads everything, then polls the markers every `pollMs` and takes writes of this process at once. */
  async start(pollMs: number): Promise<void> {
    await this.refresh();
    let set = local.get(this.marker.prefix);
    if (!set) local.set(this.marker.prefix, (set = new Set()));
    set.add(this);
    const tick = () => {
      this.polling = this.refresh()
        .catch((err: Error) => this.log.warn({ event: 'provisioning.refresh_failed', err: err.message }, 'could not refresh profiles and firmware policies'))
        .finally(() => {
          this.polling = undefined;
          if (this.timer) this.timer = setTimeout(tick, pollMs).unref();
        });
    };
    this.timer = setTimeout(tick, pollMs).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const set = local.get(this.marker.prefix);
    set?.delete(this);
    if (set?.size === 0) local.delete(this.marker.prefix);
    await this.polling;
    await Promise.allSettled(Object.values(this.loading));
  }
}
