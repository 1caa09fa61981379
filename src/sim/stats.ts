import type { FailureReason, SessionOutcome } from './outcome';

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface StatsSummary {
  devices: number;
  sessions: {
    ok: number;
    failed: number;
    byReason: Partial<Record<FailureReason, number>>;
    /** failed sessions by what a person would call the cause (`401`, `429`, `refused`, `timeout`...), with the last detail */
    failures: Record<string, { count: number; detail: string }>;
  };
  /** duration of successful sessions, ms */
  latencyMs: LatencySummary;
  /** HTTP responses by status code */
  httpStatus: Record<string, number>;
  httpRequests: number;
  acsRequests: number;
  transferCompletes: number;
  connectionRequests: { accepted: number; unauthorized: number; notFound: number; rateLimited: number };
  elapsedMs: number;
  sessionsPerSecond: number;
}

/** Counters of a fleet run. Latencies are kept whole (8 bytes each) for exact percentiles. */
export class FleetStats {
  ok = 0;
  failed = 0;
  readonly byReason: Partial<Record<FailureReason, number>> = {};
  readonly failures = new Map<string, { count: number; detail: string }>();
  readonly latencies: number[] = [];
  readonly httpStatus = new Map<number, number>();
  httpRequests = 0;
  acsRequests = 0;
  transferCompletes = 0;
  private readonly startedAt = Date.now();

  record(outcome: SessionOutcome): void {
    this.httpRequests += outcome.httpRequests;
    this.acsRequests += outcome.acsRequests.length;
    this.transferCompletes += outcome.transferCompletes;
    if (outcome.ok) {
      this.ok += 1;
      this.latencies.push(outcome.durationMs);
    } else {
      this.failed += 1;
      const reason = outcome.reason ?? 'internal';
      this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
      const label = failureLabel(outcome);
      const seen = this.failures.get(label) ?? { count: 0, detail: '' };
      this.failures.set(label, { count: seen.count + 1, detail: outcome.detail ?? seen.detail });
    }
  }

  status(code: number): void {
    this.httpStatus.set(code, (this.httpStatus.get(code) ?? 0) + 1);
  }

  summary(devices: number, connectionRequests: StatsSummary['connectionRequests']): StatsSummary {
    const elapsedMs = Date.now() - this.startedAt;
    return {
      devices,
      sessions: { ok: this.ok, failed: this.failed, byReason: { ...this.byReason }, failures: Object.fromEntries([...this.failures].map(([k, v]) => [k, { ...v }])) },
      latencyMs: summarize(this.latencies),
      httpStatus: Object.fromEntries([...this.httpStatus].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
      httpRequests: this.httpRequests,
      acsRequests: this.acsRequests,
      transferCompletes: this.transferCompletes,
      connectionRequests: { ...connectionRequests },
      elapsedMs,
      sessionsPerSecond: elapsedMs > 0 ? ((this.ok + this.failed) * 1000) / elapsedMs : 0,
    };
  }
}

/**
 * The cause of a failed session in the terms an operator looks for: the HTTP status the ACS
 * answered (401, 429, 503...), `refused`/`reset` for connections, `timeout`, else the reason.
 */
export function failureLabel(outcome: Pick<SessionOutcome, 'reason' | 'httpStatus' | 'detail'>): string {
  if (outcome.reason === 'auth') return '401';
  if (outcome.reason === 'timeout') return 'timeout';
  if (outcome.reason === 'network') {
    const detail = outcome.detail ?? '';
    if (/ECONNREFUSED/.test(detail)) return 'refused';
    if (/ECONNRESET|UND_ERR_SOCKET|other side closed/.test(detail)) return 'reset';
    if (/ENOTFOUND|EAI_AGAIN/.test(detail)) return 'dns';
    return 'network';
  }
  if (outcome.httpStatus !== undefined) return String(outcome.httpStatus);
  return outcome.reason ?? 'internal';
}

/** Nearest-rank percentiles. */
export function summarize(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const sum = sorted.reduce((a, b) => a + b, 0);
  return { count: sorted.length, mean: sum / sorted.length, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] };
}
