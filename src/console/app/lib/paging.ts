/**
 * Cursor paging for the devices table: the server pages forwards with `nextCursor`; going back
 * replays the cursors seen so far. Kept as plain data so it can be tested without a browser.
 */
export interface CursorTrail {
  /** cursors of the pages before the current one; the first page has no cursor */
  previous: (string | undefined)[];
  current: string | undefined;
}

export const FIRST_PAGE: CursorTrail = { previous: [], current: undefined };

export function nextPage(trail: CursorTrail, nextCursor: string | null | undefined): CursorTrail {
  if (!nextCursor) return trail;
  return { previous: [...trail.previous, trail.current], current: nextCursor };
}

export function previousPage(trail: CursorTrail): CursorTrail {
  if (!trail.previous.length) return trail;
  return { previous: trail.previous.slice(0, -1), current: trail.previous[trail.previous.length - 1] };
}

export function pageNumber(trail: CursorTrail): number {
  return trail.previous.length + 1;
}

/** The sort orders the devices route serves from an index, and the column each belongs to. */
export const SORTABLE = { id: 'id', lastInformAt: 'lastInformAt', registeredAt: 'registeredAt' } as const;
export type SortColumn = keyof typeof SORTABLE;
export type DeviceSort = 'id' | 'lastInformAt' | '-lastInformAt' | 'registeredAt' | '-registeredAt';

/** Clicking a column header: a new column sorts ascending (newest first for times), again flips. */
export function toggleSort(current: DeviceSort, column: SortColumn): DeviceSort {
  if (column === 'id') return 'id';
  if (current === column) return `-${column}`;
  if (current === `-${column}`) return column;
  return `-${column}`;
}

export function sortDirection(current: DeviceSort, column: SortColumn): 'ascending' | 'descending' | 'none' {
  if (current === column) return 'ascending';
  if (current === `-${column}`) return 'descending';
  return 'none';
}

/** Runs `work` over `items` with at most `limit` in flight; returns the failures by item. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<{ item: T; error: unknown }[]> {
  const failures: { item: T; error: unknown }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return failures;
}
