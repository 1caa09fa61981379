/**
 * Median CPU microseconds (user + system) per call of `fn`, over `batches` batches each of at
 * most `perBatch` calls and 1 s, after a warm-up. CPU time rather than wall time, as the bench
 * machine is shared.
 */
export function cpuMicrosPerCall(fn: () => unknown, perBatch: number, batches = 7): number {
  for (let i = 0; i < Math.min(perBatch, 500); i += 1) fn();
  const samples: number[] = [];
  for (let b = 0; b < batches; b += 1) {
    const deadline = process.hrtime.bigint() + 1_000_000_000n;
    const cpu = process.cpuUsage();
    let calls = 0;
    while (calls < perBatch && process.hrtime.bigint() < deadline) {
      fn();
      calls += 1;
    }
    const used = process.cpuUsage(cpu);
    samples.push((used.user + used.system) / calls);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}
