/**
 * Preloaded (`node -r`) into an ACS child by acs-child.ts: counts the Redis commands the
 * process sends (ioredis publishes each on the `ioredis:command` tracing channel) and answers
 * the harness's IPC question with them, its CPU time and its memory. Only benches load it.
 */
import diagnostics from 'node:diagnostics_channel';

/** What the child reports about itself. */
export interface ProbeSample {
  /** user + system CPU time of the process since it started, ms */
  cpuMs: number;
  /** the system (kernel) part of cpuMs: socket reads and writes to the stores and the devices */
  systemCpuMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Redis commands sent since the process started, by command name */
  redis: Record<string, number>;
}

export const PROBE_QUESTION = 'acs-bench-probe';

/** The harness's question; `gc` collects garbage first (the child runs with --expose-gc). */
export interface ProbeQuestion {
  question: typeof PROBE_QUESTION;
  gc?: boolean;
}

const redis: Record<string, number> = {};
diagnostics.tracingChannel<unknown, { command: string }>('ioredis:command').subscribe({
  start: (ctx) => void (redis[ctx.command] = (redis[ctx.command] ?? 0) + 1),
  end: () => undefined,
  asyncStart: () => undefined,
  asyncEnd: () => undefined,
  error: () => undefined,
});

if (process.send) {
  process.on('message', (m: ProbeQuestion) => {
    if (m?.question !== PROBE_QUESTION) return;
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const sample: ProbeSample = { cpuMs: (cpu.user + cpu.system) / 1000, systemCpuMs: cpu.system / 1000, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, redis: { ...redis } };
    process.send!(sample);
  });
  // The channel must not keep the ACS alive once it decides to exit.
  process.channel?.unref();
}
