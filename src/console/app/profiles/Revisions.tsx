import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { Confirm } from '../components/Confirm';
import { Loaded } from '../components/Status';
import { age, dateTime } from '../lib/format';
import { diffRevisions, selectorSummary } from '../lib/profiles';

/** A profile's revisions, two of them side by side, and restoring an earlier one. */
export function Revisions({ name, current, canRestore }: { name: string; current: number | undefined; canRestore: boolean }) {
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ['profile-revisions', name], queryFn: () => must(api.GET('/profiles/{name}/revisions', { params: { path: { name } } })) });
  const [picked, setPicked] = useState<{ left?: number; right?: number }>({});
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const saved = (list.data?.items ?? []).filter((r) => !r.deleted);
  const right = picked.right ?? saved[0]?.revision;
  const left = picked.left ?? saved[1]?.revision ?? right;
  const revision = (n: number | undefined) => ({
    queryKey: ['profile-revisions', name, n],
    queryFn: () => must(api.GET('/profiles/{name}/revisions/{revision}', { params: { path: { name, revision: n! } } })),
    enabled: n !== undefined,
    staleTime: Infinity,
  });
  const leftDoc = useQuery(revision(left));
  const rightDoc = useQuery(revision(right));

  const restore = async () => {
    setConfirming(false);
    try {
      const done = await must(api.POST('/profiles/{name}/revisions/{revision}/restore', { params: { path: { name, revision: left! } }, body: current !== undefined ? { ifRevision: current } : {} }));
      await Promise.all(['profiles', 'profile', 'profile-revisions', 'profile-conflicts'].map((k) => queries.invalidateQueries({ queryKey: [k] })));
      setPicked({});
      setOutcome({ ok: true, text: `Revision ${left} restored as revision ${done.profile.revision}.` });
    } catch (err) {
      setOutcome({ ok: false, text: `Could not restore revision ${left}: ${(err as Error).message}` });
    }
  };

  return (
    <section aria-labelledby="revisions-heading" className="panel stack">
      <h2 id="revisions-heading">Revisions</h2>
      <Loaded query={list} what="the revisions">
        {(l) => (
          <>
            <table className="grid compact">
              <caption className="sr-only">Saved revisions, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Saved</th>
                  <th scope="col">By</th>
                  <th scope="col">Precedence</th>
                  <th scope="col">Applies to</th>
                </tr>
              </thead>
              <tbody>
                {l.items.map((r) => (
                  <tr key={r.revision}>
                    <td>{r.deleted ? `${r.revision} (deleted)` : r.revision}</td>
                    <td title={dateTime(r.savedAt)}>{age(r.savedAt)}</td>
                    <td>{r.savedBy ?? '—'}</td>
                    <td>{r.precedence}</td>
                    <td>{selectorSummary(r.match)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {saved.length > 0 && (
              <div className="inline">
                <label htmlFor="diff-left">Compare revision</label>
                <select id="diff-left" value={left} onChange={(e) => setPicked((p) => ({ ...p, left: Number(e.target.value), right }))}>
                  {saved.map((r) => (
                    <option key={r.revision} value={r.revision}>
                      {r.revision}
                    </option>
                  ))}
                </select>
                <label htmlFor="diff-right">with revision</label>
                <select id="diff-right" value={right} onChange={(e) => setPicked((p) => ({ ...p, left, right: Number(e.target.value) }))}>
                  {saved.map((r) => (
                    <option key={r.revision} value={r.revision}>
                      {r.revision}
                    </option>
                  ))}
                </select>
                {canRestore && left !== undefined && left !== current && (
                  <button type="button" onClick={() => setConfirming(true)}>
                    {`Restore revision ${left}`}
                  </button>
                )}
              </div>
            )}
            {outcome && (
              <p role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'ok' : 'error'}>
                {outcome.text}
              </p>
            )}
            {leftDoc.data && rightDoc.data && (
              <table className="grid compact diff">
                <caption>{`Revision ${left} and revision ${right}, side by side`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Field or parameter</th>
                    <th scope="col">{`Revision ${left}`}</th>
                    <th scope="col">{`Revision ${right}`}</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {diffRevisions(leftDoc.data, rightDoc.data).map((d) => (
                    <tr key={d.name} data-status={d.status} className={`diff-${d.status}`}>
                      <th scope="row">{d.name}</th>
                      <td className="pvalue">{d.left ?? '—'}</td>
                      <td className="pvalue">{d.right ?? '—'}</td>
                      <td>{d.status}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Confirm open={confirming} title={`Restore revision ${left} of ${name}?`} confirm={`Restore revision ${left}`} onConfirm={() => void restore()} onCancel={() => setConfirming(false)}>
              <p>{`Its content is saved as a new revision; the devices it matches then receive it.`}</p>
            </Confirm>
          </>
        )}
      </Loaded>
    </section>
  );
}
