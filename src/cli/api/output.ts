import Table from 'cli-table3';

/** A plain table (no colours: output is often piped). */
export function table(head: string[], rows: unknown[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(readable));
  return `${t.toString()}\n`;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}


/** `label  value` lines, labels aligned; rows without a value are left out. */
export function details(rows: Array<[string, unknown]>): string {
  const shown = rows.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${readable(v)}\n`).join('');
}

/** A value as a person reads it: lists comma-separated, objects as `key value` pairs. */
export function readable(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(readable).join(', ');
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${readable(x)}`).join(', ');
  return String(v);
}
