import { invalidField } from './problem';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset pagination: a cursor holds the sort key of the last item of a page (the sort value
 * and the `_id`), so the next page is "after this key" — an index range on MongoDB, whatever
 * the page number. Cursors are opaque base64url JSON; dates survive the round trip.
 */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key.map((v) => (v instanceof Date ? { $date: v.toISOString() } : v))), 'utf8').toString('base64url');
}

/** The key a cursor holds, checked against the shape expected (`kinds`); 400 naming `cursor` otherwise. */
export function decodeCursor(text: string, kinds: Array<'string' | 'date' | 'any'>): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidField('query', 'cursor', 'is not a cursor this API issued');
  }
  if (!Array.isArray(parsed) || parsed.length !== kinds.length) throw invalidField('query', 'cursor', 'does not belong to this list or sort order');
  return parsed.map((v, i) => {
    const date = v && typeof v === 'object' && typeof (v as { $date?: unknown }).$date === 'string' ? new Date((v as { $date: string }).$date) : undefined;
    if (kinds[i] === 'date') {
      if (!date || Number.isNaN(date.getTime())) throw invalidField('query', 'cursor', 'does not belong to this list or sort order');
      return date;
    }
    if (kinds[i] === 'string' && typeof v !== 'string') throw invalidField('query', 'cursor', 'does not belong to this list or sort order');
    return date ?? v;
  });
}

/** A page from `limit + 1` rows: the extra row only says that another page follows. */
export function toPage<D, T>(rows: D[], limit: number, view: (d: D) => T, keyOf: (d: D) => unknown[]): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { items: shown.map(view), nextCursor: more ? encodeCursor(keyOf(shown[shown.length - 1])) : null };
}
