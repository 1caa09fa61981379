/**
 * Housekeeping must not crowd out the real work, however the store answers its queries: a run
 * is followed by a rest ten times as long as it took, so housekeeping takes at most about a
 * tenth of the store's time, and no less than the configured interval.
 */
const REST_FACTOR = 10;

export function restAfter(tookMs: number, minMs: number): number {
  return Math.max(minMs, REST_FACTOR * tookMs);
}

/** Runs `task` now, then again after each rest, until stopped. Errors go to `onError`. */
export function repeat(minMs: number, task: () => Promise<void>, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    const started = Date.now();
    running = task()
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(run, restAfter(Date.now() - started, minMs));
        timer.unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Wraps `task`, run by a schedule, so that runs starting sooner than ten times the last run's
 * duration after its start do nothing (and resolve undefined).
 */
export function rested<T>(task: () => Promise<T>, clock: () => number = Date.now): () => Promise<T | undefined> {
  let readyAt = 0;
  return async () => {
    const started = clock();
    if (started < readyAt) return undefined;
    try {
      return await task();
    } finally {
      readyAt = started + REST_FACTOR * (clock() - started);
    }
  };
}
