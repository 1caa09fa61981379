import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ApiError, must } from '../api';
import { FIRST_PAGE, nextPage, pageNumber, previousPage } from '../lib/paging';
import { auditQuery, type AuditFilters } from '../lib/audit';

const PAGE_SIZE = 25;

/** The audit log, newest first, filtered by actor, action, target and time, paged by cursor. */
export function Audit() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const [trail, setTrail] = useState(FIRST_PAGE);
  const page = useQuery({
    queryKey: ['audit', filters, trail.current],
    queryFn: () => must(api.GET('/audit', { params: { query: { ...auditQuery(filters), limit: PAGE_SIZE, cursor: trail.current } } })),
    placeholderData: keepPreviousData,
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (k: string) => String(data.get(k) ?? '');
    setFilters({ actor: text('actor'), action: text('action'), target: text('target'), from: text('from'), to: text('to') });
    setTrail(FIRST_PAGE);
  };
  const error = page.error;
  const about = (field: string) => (error instanceof ApiError ? error.about(field) : undefined);
  return (
    <section className="panel wide" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form className="filters" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          Actor
          <input name="actor" placeholder="user, token name or id" />
        </label>
        <label>
          Action
          <input name="action" placeholder="e.g. token.create" />
        </label>
        <label>
          Target
          <input name="target" />
        </label>
        <label>
          From
          <input name="from" type="datetime-local" step="1" aria-invalid={!!about('from')} />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" step="1" aria-invalid={!!about('to')} aria-describedby={about('to') ? 'audit-to-error' : undefined} />
          {about('to') && <span id="audit-to-error" className="field-error">{about('to')}</span>}
        </label>
        <button type="submit">Filter</button>
      </form>
      {error && !about('to') && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <div className="table-wrap">
        <table className="grid compact" aria-busy={page.isFetching}>
          <caption className="sr-only">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col" className="num">Status</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {page.data?.items.map((a) => (
              <tr key={a.id}>
                <td>{new Date(a.at).toLocaleString()}</td>
                <td>
                  {a.actor.name} <span className="muted">({a.actor.kind ?? 'token'}{a.actor.role ? `, ${a.actor.role}` : ''})</span>
                </td>
                <td className="nowrap">{a.action}</td>
                <td>{a.target ?? ''}</td>
                <td className="num">{a.status}</td>
                <td className="rpcs">{a.details ? JSON.stringify(a.details) : ''}</td>
              </tr>
            ))}
            {page.data?.items.length === 0 && (
              <tr>
                <td colSpan={6}>No entries match.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Audit pages">
        <button type="button" disabled={!trail.previous.length} onClick={() => setTrail(previousPage(trail))}>
          Newer
        </button>
        <span>Page {pageNumber(trail)}</span>
        <button type="button" disabled={!page.data?.nextCursor} onClick={() => setTrail(nextPage(trail, page.data?.nextCursor))}>
          Older
        </button>
      </nav>
    </section>
  );
}
