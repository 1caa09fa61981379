import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, must } from '../api';
import { age, dateTime } from '../lib/format';
import { profilePath } from '../lib/pages';
import { emptyForm, formOf, selectorSummary, shownParameter, type ParameterView, type Selector } from '../lib/profiles';
import { Conflicts } from '../profiles/Conflicts';
import { MatchPreview } from '../profiles/MatchPreview';
import { ProfileEditor } from '../profiles/ProfileEditor';
import { Revisions } from '../profiles/Revisions';
import { Link, navigate } from '../router';
import { useSession } from '../session';

/** A new profile: the editor, then its own page once created. */
export function NewProfile() {
  return (
    <>
      <p className="crumbs">
        <Link href="/profiles">Profiles</Link>
      </p>
      <h1>New profile</h1>
      <ProfileEditor initial={emptyForm()} onSaved={(name) => navigate(profilePath(name))} />
    </>
  );
}

/** One profile: its definition (the editor for those who may save it), conflicts and revisions. */
export default function Profile({ name }: { name: string }) {
  const { can } = useSession();
  const [saved, setSaved] = useState<string | null>(null);
  const profile = useQuery({ queryKey: ['profile', name], queryFn: () => must(api.GET('/profiles/{name}', { params: { path: { name } } })) });
  const p = profile.data;
  const missing = profile.error instanceof ApiError && profile.error.status === 404;
  return (
    <>
      <p className="crumbs">
        <Link href="/profiles">Profiles</Link>
      </p>
      <h1>{`Profile ${name}`}</h1>
      {profile.error && <p role="alert" className={missing ? undefined : 'error'}>{missing ? 'No live profile has this name; its earlier revisions, if any, are below.' : `Could not load the profile: ${profile.error.message}`}</p>}
      {!p && !profile.error && <p role="status">Loading the profile…</p>}
      {p && (
        <>
          <dl className="facts">
            <div>
              <dt>Revision</dt>
              <dd>{p.revision}</dd>
            </div>
            <div>
              <dt>Precedence</dt>
              <dd>{p.precedence}</dd>
            </div>
            <div>
              <dt>Applies to</dt>
              <dd>{selectorSummary(p.match)}</dd>
            </div>
            <div>
              <dt>Updated</dt>
              <dd title={dateTime(p.updatedAt)}>{`${age(p.updatedAt)}${p.updatedBy ? ` by ${p.updatedBy}` : ''}`}</dd>
            </div>
          </dl>
          {saved && <p role="status" className="ok">{saved}</p>}
          <section className="panel stack" aria-label="Definition">
            {can('replaceProfile') ? (
              <ProfileEditor key={p.revision} initial={formOf(p)} revision={p.revision} onSaved={(_, revision) => setSaved(`Saved as revision ${revision}.`)} />
            ) : (
              <ReadOnly parameters={p.parameters} match={p.match} />
            )}
          </section>
          <Conflicts profile={name} />
        </>
      )}
      {(p || missing) && <Revisions name={name} current={p?.revision} canRestore={can('restoreProfileRevision')} />}
    </>
  );
}

function ReadOnly({ parameters, match }: { parameters: ParameterView[]; match: Selector }) {
  return (
    <>
      <h2>Devices it applies to</h2>
      <MatchPreview match={match} />
      <h2>Parameters</h2>
      {parameters.length ? (
        <table className="grid compact">
          <caption className="sr-only">Desired parameters</caption>
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {parameters.map((x) => (
              <tr key={x.name}>
                <td>{x.name}</td>
                <td className="pvalue">{shownParameter(x)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No parameters.</p>
      )}
    </>
  );
}
