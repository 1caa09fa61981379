import { nextPage, pageNumber, previousPage, type CursorTrail } from '../lib/paging';

/** Previous and next page of a cursor-paged table; `nextCursor` from the page shown (none while a placeholder is shown). */
export function Pager({ label, trail, onChange, nextCursor }: { label: string; trail: CursorTrail; onChange: (trail: CursorTrail) => void; nextCursor: string | null | undefined }) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={() => onChange(previousPage(trail))} disabled={!trail.previous.length}>
        Previous page
      </button>
      <span>{`Page ${pageNumber(trail)}`}</span>
      <button type="button" onClick={() => onChange(nextPage(trail, nextCursor))} disabled={!nextCursor}>
        Next page
      </button>
    </nav>
  );
}
