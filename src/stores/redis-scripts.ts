import type { RedisClient } from './redis';

/** A Lua script run as a command of the client (EVALSHA, falling back to EVAL once). */
export interface RedisScript {
  readonly numberOfKeys: number;
  readonly lua: string;
}

const declared = new Map<string, RedisScript>();

/**
 * Declares the project's Lua commands; `connectRedis` defines every declared one on each client
 * it creates (ioredis' `scripts` option), before the client sends anything. Defining one later
 * on a client already in use is unsafe: an auto-pipeline opened earlier in the same turn lacks
 * the new command, its call fails, and the other replies of that pipeline are handed to the
 * wrong callers or thrown where nothing catches them (ioredis issue 1931, reproduced with 6.0.0).
 * Modules declare their scripts when they are loaded, which is before the composition root
 * connects.
 */
export function declareRedisScripts<T extends Record<string, RedisScript>>(scripts: T): T {
  for (const [name, script] of Object.entries(scripts)) {
    const earlier = declared.get(name);
    if (earlier && earlier.lua !== script.lua) throw new Error(`Redis script ${name} is declared twice with different sources`);
    declared.set(name, script);
  }
  return scripts;
}

/** Every declared script, for a client being created. */
export function declaredRedisScripts(): Record<string, RedisScript> {
  return Object.fromEntries(declared);
}

/**
 * `redis`, typed with the commands of `scripts`. A client created before they were declared
 * (not through `connectRedis`) is refused rather than given them late (see above).
 */
export function withRedisScripts<N extends string>(redis: RedisClient, scripts: Record<N, RedisScript>): RedisClient & Record<N, (...args: Array<string | number>) => Promise<number>> {
  for (const name of Object.keys(scripts)) {
    if (!(name in redis)) throw new Error(`Redis client lacks the script command ${name}: create clients with connectRedis after the module declaring it is loaded`);
  }
  return redis as RedisClient & Record<N, (...args: Array<string | number>) => Promise<number>>;
}
