/** The audit log's filter form, as typed (datetime-local times are the browser's local time). */
export interface AuditFilters {
  actor?: string;
  action?: string;
  target?: string;
  from?: string;
  to?: string;
}

/** The query of GET /audit for these filters: blanks left out, local times as UTC instants. */
export function auditQuery(f: AuditFilters): { actor?: string; action?: string; target?: string; from?: string; to?: string } {
  const q: Record<string, string> = {};
  for (const key of ['actor', 'action', 'target'] as const) {
    const v = f[key]?.trim();
    if (v) q[key] = v;
  }
  for (const key of ['from', 'to'] as const) {
    const v = f[key]?.trim();
    if (!v) continue;
    const at = new Date(v);
    // an unreadable time goes as typed, so the API's refusal names the field
    q[key] = Number.isNaN(at.getTime()) ? v : at.toISOString();
  }
  return q;
}
