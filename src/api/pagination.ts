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

/**
 * The conditions that select, in the order `{ [field]: dir, _id: dir }`, the rows after a page
 * whose last row had the key (value, id), for a field that holds a date or nothing. Rows without
 * the field (or with null) sort as MongoDB sorts them: before every date ascending, after every
 * date descending. A page asks for the conditions in turn until it is full. The dated rows and
 * those without the field are asked for apart because each is then one bounded range of the
 * (field, _id) index; one `$or` of both has no bound on the field, and FerretDB's SQLite then
 * walks and tests every index entry before the cursor instead of seeking to it.
 */
export function conditionsAfter(field: string, dir: 1 | -1, value: Date | null, id: string): Array<Record<string, unknown>> {
  const op = dir === 1 ? '$gt' : '$lt';
  const sameValue = { [field]: value, _id: { [op]: id } };
  if (value === null) return dir === 1 ? [sameValue, { [field]: { $ne: null } }] : [sameValue];
  const dated = { $or: [{ [field]: { [op]: value } }, sameValue] };
  return dir === 1 ? [dated] : [dated, { [field]: null }];
}
