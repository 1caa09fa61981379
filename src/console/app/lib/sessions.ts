/**
 * The recent CWMP sessions of a device (`GET /devices/{id}/sessions`, from the session trace),
 * as the device page lists them. `TracedSession` names the fields of the API's
 * `SessionSummary` it reads; the panel hands it the generated type, so a schema change that
 * drops or retypes one of them breaks the console's build.
 */
export interface TracedSession {
  id: number;
  startedAt: string;
  durationMs: number;
  outcome: 'completed' | 'timed_out' | 'refused' | 'error';
  reason?: string;
  events: string[];
  rpcs: { method: string; outcome: 'done' | 'fault' | 'awaiting' | 'unanswered'; fault?: { code: number | string; message: string } }[];
}

export interface SessionRow {
  key: string;
  startedAt: string;
  /** how it ended, with the reason when it did not complete */
  outcome: string;
  events: string[];
  /** the ACS's requests in order, each with what became of it unless it was done */
  rpcs: string[];
}

const OUTCOMES: Record<TracedSession['outcome'], string> = { completed: 'completed', timed_out: 'timed out', refused: 'refused', error: 'failed' };

function rpcText(r: TracedSession['rpcs'][number]): string {
  if (r.outcome === 'fault') return r.fault ? `${r.method} (fault ${r.fault.code} ${r.fault.message})` : `${r.method} (fault)`;
  if (r.outcome === 'awaiting') return `${r.method} (awaiting TransferComplete)`;
  if (r.outcome === 'unanswered') return `${r.method} (unanswered)`;
  return r.method;
}

export function sessionRow(s: TracedSession): SessionRow {
  const seconds = s.durationMs < 10_000 ? (s.durationMs / 1000).toFixed(1) : String(Math.round(s.durationMs / 1000));
  const completed = s.outcome === 'completed';
  const outcome = `${OUTCOMES[s.outcome]} ${completed ? 'in' : 'after'} ${seconds} s${!completed && s.reason ? ` (${s.reason})` : ''}`;
  return { key: String(s.id), startedAt: s.startedAt, outcome, events: s.events, rpcs: s.rpcs.map(rpcText) };
}
