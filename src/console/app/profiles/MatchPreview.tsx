import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { devicePath, Link } from '../router';
import type { Selector } from '../lib/profiles';
import { useDebounced } from './catalogue';

const SHOWN = 10;

/** How many devices a selector (saved or being typed) matches, and the first of them. */
export function MatchPreview({ match }: { match: Selector }) {
  const settled = useDebounced(match, 400);
  const found = useQuery({
    queryKey: ['profile-matches', settled],
    queryFn: () => must(api.POST('/profiles/matches', { body: { match: settled, limit: SHOWN } })),
    retry: false,
  });
  return (
    <div className="preview" role="status" aria-live="polite">
      {found.error ? (
        <p className="muted">{`No preview: ${found.error.message}`}</p>
      ) : !found.data ? (
        <p className="muted">Counting the devices it matches…</p>
      ) : (
        <>
          <p>
            <strong>{`Matches ${found.data.count.toLocaleString('en')}${found.data.complete ? '' : '+'} device${found.data.count === 1 ? '' : 's'}`}</strong>
            {found.data.count > found.data.items.length && found.data.items.length > 0 ? `, the first ${found.data.items.length}:` : found.data.count ? ':' : '.'}
          </p>
          {found.data.items.length > 0 && (
            <ul className="plain devices-matched">
              {found.data.items.map((d) => (
                <li key={d.id}>
                  <Link href={devicePath(d.id)}>{d.id}</Link>
                  <span className="muted">{` ${d.productClass} ${d.softwareVersion ?? ''}${d.tags.length ? ` · ${d.tags.join(', ')}` : ''}`}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
