/**
 * TR-069 §3.2.1.1 session retry: the n-th retry (1-based) waits a random time in
 * [m·(k/1000)^(n-1), m·(k/1000)^n] seconds, the exponent capped at n = 10.
 * m = CWMPRetryMinimumWaitInterval (s), k = CWMPRetryIntervalMultiplier.
 */
export function retryWindowSeconds(retry: number, minimumWait: number, multiplier: number): [number, number] {
  const n = Math.min(Math.max(retry, 1), 10);
  const factor = multiplier / 1000;
  return [minimumWait * factor ** (n - 1), minimumWait * factor ** n];
}

/** A wait in milliseconds for the n-th retry; `random` in [0, 1). */
export function retryDelayMs(retry: number, minimumWait: number, multiplier: number, random = Math.random()): number {
  const [low, high] = retryWindowSeconds(retry, minimumWait, multiplier);
  return Math.round((low + (high - low) * random) * 1000);
}
