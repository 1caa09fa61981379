/**
 * The recent CWMP sessions of a device (`GET /devices/{id}/sessions`, from the session trace).
 * Its answer is read defensively (an older server without the trace answers 404, shown as
 * "not available", not an error); typing it through the generated client is a follow-up.
 */
export interface SessionRow {
  key: string;
  startedAt?: string;
  endedAt?: string;
  events: string[];
  rpcs: { name: string; fault?: string }[];
  outcome?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export function sessionRows(body: unknown): SessionRow[] {
  const items = (body as { items?: unknown })?.items;
  if (!Array.isArray(items)) return [];
  return items.map((raw, i) => {
    const s = (raw ?? {}) as Record<string, unknown>;
    const events = Array.isArray(s.events) ? s.events.map((e) => text((e as { eventCode?: unknown })?.eventCode) ?? text(e) ?? '').filter(Boolean) : [];
    const rpcs = Array.isArray(s.rpcs)
      ? s.rpcs.map((r) => {
          const rpc = (r ?? {}) as Record<string, unknown>;
          const fault = rpc.fault as { code?: unknown; message?: unknown } | undefined;
          return { name: text(rpc.method) ?? text(rpc.name) ?? text(r) ?? '?', ...(fault ? { fault: [text(fault.code), text(fault.message)].filter(Boolean).join(' ') } : {}) };
        })
      : [];
    return {
      key: text(s.id) ?? `${text(s.startedAt) ?? ''}-${i}`,
      startedAt: text(s.startedAt) ?? text(s.at),
      endedAt: text(s.endedAt),
      events,
      rpcs,
      outcome: text(s.outcome) ?? text(s.status),
    };
  });
}
