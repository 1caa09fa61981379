import { createHash, randomBytes } from 'node:crypto';

/**
 * Every Redis key and channel the ACS uses, built here and nowhere else. Each starts with the
 * deployment's prefix (ACS_REDIS_PREFIX, which cannot hold braces), so the first `{…}` of a key
 * is its hash tag: on a Redis Cluster, keys with the same tag share a slot, which is what lets
 * a Lua script or MULTI touch several of them. The tags:
 *
 * - `{s<group>}`: a CWMP session's keys (the device's lock, the session's state, the group's
 *   in-flight index). A device belongs to one of SESSION_GROUPS groups by a hash of its id, and
 *   its session ids start with the group, so a request that carries only the session id finds
 *   the slot too. Different devices spread over the groups.
 * - `{fleet}`: the console's fleet counters, updated together by one script per batch of Informs
 *   (the console feed's, which also publishes the live events from that slot's node).
 * - `{markers}`: the provisioning change markers, read with one MGET.
 * - `{bull}`: BullMQ's keys (BullMQ's scripts touch many keys of a queue).
 *
 * Other keys are read and written alone and spread by their own name.
 */
export const SESSION_GROUPS = 256;

/** The device's session group: two hex digits. */
export function sessionGroup(deviceId: string): string {
  return createHash('sha1').update(deviceId).digest('hex').slice(0, 2);
}

/** A new CWMP session id for the device: its group, then 120 random bits (32 hex digits in all). */
export function newSessionId(deviceId: string): string {
  return sessionGroup(deviceId) + randomBytes(15).toString('hex');
}

/** Every session group, for the sweeper that reads each group's in-flight index. */
export const ALL_SESSION_GROUPS: readonly string[] = Array.from({ length: SESSION_GROUPS }, (_, i) => i.toString(16).padStart(2, '0'));

export function redisKeys(prefix: string) {
  const session = (group: string) => `${prefix}cwmp:{s${group}}:`;
  return {
    cwmp: {
      /** `group`: the device's, when a session id at hand already carries it (a hash saved) */
      lock: (deviceId: string, group = sessionGroup(deviceId)) => `${session(group)}lock:${deviceId}`,
      session: (sessionId: string) => `${session(sessionId.slice(0, 2))}session:${sessionId}`,
      /** the group's in-flight tasks (zset of "taskId sessionId" by deadline) */
      inflight: (group: string) => `${session(group)}inflight`,
      nonceCount: (nonce: string) => `${prefix}cwmp:nc:${nonce}`,
      authFailures: (source: string) => `${prefix}cwmp:authfail:${source}`,
    },
    console: {
      /** by the SHA-256 of the session id: a copy of Redis is no cookie jar */
      session: (idDigest: string) => `${prefix}console:session:${idDigest}`,
      oidc: (pendingDigest: string) => `${prefix}console:oidc:${pendingDigest}`,
      loginFailures: (of: 'name' | 'addr', digest: string) => `${prefix}console:login-fail:${of}:${digest}`,
      fleet: (name: string) => `${prefix}console:{fleet}:${name}`,
      /** pub/sub channel of the live feed (channels have no slot; PUBLISH reaches every node) */
      liveChannel: `${prefix}console:events`,
    },
    provisioning: {
      marker: (kind: string) => `${prefix}provisioning:{markers}:${kind}`,
    },
    phones: {
      unproven: (source: string) => `${prefix}fs:unproven:${source}`,
    },
    presence: {
      process: (id: string) => `${prefix}presence:${id}`,
      pattern: `${prefix}presence:*`,
    },
    /** BullMQ's prefix: its keys are `<prefix>:<queue>:<kind>` */
    bull: `${prefix}{bull}`,
  };
}
